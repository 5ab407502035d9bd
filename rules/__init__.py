"""Pure rules of the law: guards, review triggers, deadlines and the working-day calendar.

Nothing here touches a database or a terminal: every function takes a case (and an act's
input and date) and returns an answer.
"""

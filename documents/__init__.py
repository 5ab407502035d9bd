"""Notices (执法文书): Jinja templates and their renderer.

The procedure definitions already name the notice each action produces (rules/notices.py
maps the names to 立案审批表, 行政处罚事先告知书 …) and every event records them. Rendering the
texts, numbering them per GB/T 9704 and exporting them is issue 5 and lands here.
"""

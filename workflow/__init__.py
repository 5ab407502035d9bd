"""The engine: load a case, check guards, fire, append the event, save, replay, verify."""

"""Dialogues with residents, technicians and dispatchers, one module per role."""

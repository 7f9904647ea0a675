"""The programme: the plan file, its indicators and the status rules of targets and tasks."""

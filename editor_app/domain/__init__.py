"""Plain values and rules: statuses, workflow, errors. Standard library only."""

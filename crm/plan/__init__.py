"""The five steps of the method: the Plan page and the dashboard's next step."""

"""Loading a report: the structured model, its schema, and the view rules run against."""

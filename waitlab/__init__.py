"""waitlab."""

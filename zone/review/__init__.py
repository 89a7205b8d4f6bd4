"""Review by zone administrators: the staff queue, the review page, staff actions, deadlines, dashboard."""

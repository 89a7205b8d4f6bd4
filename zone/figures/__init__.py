"""The zone's figures: residents, investment, jobs, trade and matchmaking, as SQL aggregates, published."""

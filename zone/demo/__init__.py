"""Demo data for `make run`: a company, staff of every role, applications in every state, a certificate."""

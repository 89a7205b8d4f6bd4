"""Sites: the centre's plots and buildings, their plan, and the leases made at admission."""

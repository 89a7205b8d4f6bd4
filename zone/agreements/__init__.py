"""Activity agreements: made at admission, signed by the zone, countersigned by the company, amended by supplementary agreements."""

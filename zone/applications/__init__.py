"""Applications: a company's request for residency on one side of the centre, and its documents."""

"""Documents the plan office sends out: the annual report and 督办 notices."""

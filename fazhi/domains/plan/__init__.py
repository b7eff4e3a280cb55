"""The plan as the spine: plan import, tasks and targets, assignment,
progress, supervision (督办/督察), indicators and the annual report."""

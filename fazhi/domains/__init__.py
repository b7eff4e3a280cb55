"""Domain apps. Each imports the kernel only, never another domain app."""

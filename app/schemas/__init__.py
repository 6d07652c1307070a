"""Response shapes, one module per resource (what goes out); see base.py for how to write one."""

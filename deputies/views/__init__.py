"""HTML views of the deputies app, one module per area: thin; reads through selectors, writes through
services. ``deputies.urls`` points at the modules."""

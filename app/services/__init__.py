"""Multi-model workflows and outside calls; ids and plain values in, models or shapes out."""

"""Benchmarks: typedchannels against Channels, run in one process (`make bench`)."""

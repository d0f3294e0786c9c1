"""Developer tools: not part of the shipped build, validate and publish path."""

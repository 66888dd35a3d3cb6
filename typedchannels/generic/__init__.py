"""Ready-made consumers for common protocols (as ``channels.generic``)."""

"""Approdo: case management and job matching for social employment programmes."""

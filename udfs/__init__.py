"""Excel custom functions for pmf-excel (see pmf_functions)."""

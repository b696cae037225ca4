"""The shipped postures (openness, commercial, export-caution) and their test cases, as package data."""

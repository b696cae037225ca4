"""Reading YAML inputs: safe loading with positions, problems as FILE:LINE:COL."""

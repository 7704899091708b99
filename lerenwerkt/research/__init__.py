"""Research analyses beyond the jaarverslag (e.g. the trainee's study of absoluut verzuim)."""

"""recruitscan's production code: everything the scoring service needs at run time."""

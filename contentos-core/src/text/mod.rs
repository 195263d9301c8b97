//! Platform text engine: counting in each platform's unit, entity extraction, thread
//! splitting, fitting and platform encodings. Pure functions, no I/O.

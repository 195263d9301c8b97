//! Vector stores: exact and remote nearest-neighbour search.

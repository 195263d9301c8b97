//! # ContentOS publishers
//!
//! One module per platform, each implementing [`contentos_core::publish::Publisher`].

#![warn(missing_docs)]

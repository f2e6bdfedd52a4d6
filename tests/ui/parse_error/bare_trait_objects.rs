//@ edition: 2015
// Editions 2015 and 2018 accept trait objects without `dyn`. syn reads most of them
// (`Box<Error + Send>`, `&Trait`) but not a bare `Fn(…)`, before which taskcheck inserts a
// `dyn` token: the file is analysed, and findings after an insertion keep their columns.
use std::error::Error;
use std::thread;

pub type Action = Fn(u8) + Send + Sync;
pub type Callbacks = Vec<Box<FnMut(u8) -> bool + Send>>;
pub type HigherRanked = Box<for<'a> Fn(&'a str) -> &'a str>;

pub struct Registry {
    pub callbacks: Vec<Box<Fn(u8) + Send>>,
    pub last_error: Option<Box<Error + Send + Sync>>,
}

pub struct Holder(*const (Fn() + Sync));
unsafe impl Send for Holder {} //~ undocumented_unsafe_send_sync

pub trait Visitor {}
impl Visitor for Box<Fn()> {}

pub fn run(f: &Fn(), g: &mut ::std::ops::FnMut(&Visitor) -> bool) { thread::spawn(|| loop {}); } //~ detached_spawn

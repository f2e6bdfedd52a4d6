//@ edition: 2015
// Edition 2015 accepts trait-method parameters without a name; taskcheck names them `_`
// (inserted tokens) before parsing.
use std::collections::HashMap;
use std::thread;

pub trait Rng {}

pub trait Sampler {
    fn sample<R: Rng>(&self, &mut R) -> u32;
    fn reseed(&mut self, [u8; 32], HashMap<String, Vec<(u8, u8)>>);
    fn start(&self, u8, Box<Fn() + Send>) { thread::spawn(|| loop {}); } //~ detached_spawn
}

// `box` expressions and patterns were a nightly feature of every edition: taskcheck reads
// `box x` as `&x`, so the operand is still analysed.
#![feature(box_syntax, box_patterns)]
use std::thread;

pub fn boxed() -> Box<u32> { let b = box 5; thread::spawn(|| loop {}); b } //~ detached_spawn

pub fn unboxed(b: Box<Option<u32>>) -> u32 {
    match b {
        box Some(x) => x,
        box None => 0,
    }
}

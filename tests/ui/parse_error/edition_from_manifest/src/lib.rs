//@ warn: undocumented_shared_type
// The package's edition, from its manifest, decides which old forms are read.
use std::sync::Mutex;

pub struct siginfo_t;

type Action = Fn(&siginfo_t) + Send + Sync;

pub struct Slot { pub actions: Mutex<Vec<Box<Action>>>, pub first: Box<Fn(&siginfo_t) + Send> } //~ undocumented_shared_type

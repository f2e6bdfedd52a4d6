//! `--with-check`: runs `cargo check` for the same packages first and passes its output
//! through, so that an editor whose check command is taskcheck (rust-analyzer's
//! `check.overrideCommand`) still shows compiler errors.
//!
//! In JSON mode cargo's JSON lines go to stdout unchanged, before taskcheck's own lines, with
//! the same `rendered` flavour. In the other formats cargo prints its human diagnostics to
//! stderr as usual, so stdout stays a valid report (SARIF, annotations).

use crate::cli::{Cli, Format, Rendered};
use crate::error::Error;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

/// The `cargo check` arguments for a run: the same package selection, the flags taskcheck
/// accepts on cargo's behalf, and the message format matching taskcheck's.
pub fn args(cli: &Cli) -> Vec<OsString> {
    let mut args: Vec<OsString> = vec!["check".into()];
    let message_format = match cli.output.format() {
        Format::Json(Rendered::Plain) => "json",
        Format::Json(Rendered::Ansi) => "json-diagnostic-rendered-ansi",
        Format::Json(Rendered::Short) => "json-diagnostic-short",
        Format::Json(Rendered::ShortAnsi) => "json-diagnostic-short,json-diagnostic-rendered-ansi",
        Format::Short => "short",
        Format::Human | Format::Sarif | Format::Github => "human",
    };
    args.push(format!("--message-format={message_format}").into());
    let input = &cli.input;
    if let Some(manifest) = &input.manifest_path {
        args.push("--manifest-path".into());
        args.push(manifest.into());
    }
    if input.workspace {
        args.push("--workspace".into());
    }
    for p in &input.package {
        args.extend(["--package".into(), p.into()]);
    }
    for p in &input.exclude {
        args.extend(["--exclude".into(), p.into()]);
    }
    let check = &cli.check;
    for (on, flag) in [
        (check.all_targets, "--all-targets"),
        (check.keep_going, "--keep-going"),
        (check.all_features, "--all-features"),
    ] {
        if on {
            args.push(flag.into());
        }
    }
    if check.no_default_features {
        args.push("--no-default-features".into());
    }
    for f in &check.features {
        args.extend(["--features".into(), f.into()]);
    }
    for t in &check.target {
        args.extend(["--target".into(), t.into()]);
    }
    if let Some(dir) = &check.target_dir {
        args.push("--target-dir".into());
        args.push(dir.into());
    }
    args
}

/// Runs `cargo check` (the cargo that runs taskcheck, from `$CARGO`, else `cargo` on PATH)
/// and copies its stdout to ours line by line. Returns whether it succeeded.
pub fn run(cli: &Cli) -> Result<bool, Error> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut child = Command::new(&cargo)
        .args(args(cli))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| Error::new(format!("cannot run `{} check`: {e}", cargo.to_string_lossy())))?;
    if let Some(stdout) = child.stdout.take() {
        let mut out = std::io::stdout().lock();
        for line in BufReader::new(stdout).split(b'\n') {
            let Ok(line) = line else { break };
            // A reader that went away is not an error of the check; keep draining cargo's pipe.
            let _ = out.write_all(&line).and_then(|()| out.write_all(b"\n")).and_then(|()| out.flush());
        }
    }
    let status = child.wait().map_err(|e| Error::new(format!("`cargo check` did not finish: {e}")))?;
    Ok(status.success())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_args(cli: &[&str]) -> Vec<String> {
        let cli = crate::cli::parse(cli.iter().copied()).unwrap();
        args(&cli).into_iter().map(|a| a.to_string_lossy().into_owned()).collect()
    }

    #[test]
    fn same_packages_and_flags_as_taskcheck() {
        assert_eq!(
            check_args(&[
                "cargo-taskcheck",
                "--message-format=json-diagnostic-rendered-ansi",
                "--manifest-path",
                "w/Cargo.toml",
                "--workspace",
                "--exclude",
                "x",
                "--all-targets",
                "--keep-going",
                "-F",
                "a,b",
                "--target-dir",
                "t",
            ]),
            vec![
                "check",
                "--message-format=json-diagnostic-rendered-ansi",
                "--manifest-path",
                "w/Cargo.toml",
                "--workspace",
                "--exclude",
                "x",
                "--all-targets",
                "--keep-going",
                "--features",
                "a,b",
                "--target-dir",
                "t",
            ]
        );
        assert_eq!(
            check_args(&["cargo-taskcheck", "-p", "a", "--format=sarif"]),
            vec!["check", "--message-format=human", "--package", "a"]
        );
        assert_eq!(check_args(&["cargo-taskcheck", "--message-format=json"])[1], "--message-format=json");
    }
}

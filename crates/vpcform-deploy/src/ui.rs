//! Where progress goes: a terminal with progress bars, or a recorder in tests.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Mutex;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Where [`write_out`] writes.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Stream {
    Stdout,
    Stderr,
}

/// Writes `text` to stdout or stderr, ignoring a closed stream (`| head`, a `tee` ended by the
/// same Ctrl-C): the text is lost, never the work — `print!`/`eprint!` would panic instead.
pub(crate) fn write_out(stream: Stream, text: &str) {
    use std::io::Write as _;
    let _ = match stream {
        Stream::Stdout => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes()).and_then(|()| out.flush())
        }
        Stream::Stderr => std::io::stderr().lock().write_all(text.as_bytes()),
    };
}

/// What the deployer tells a person, and asks.
pub trait Ui: Send + Sync {
    /// A line about a stack.
    fn line(&self, stack: &str, text: &str);
    /// Asks a yes/no question; `None` when nobody can answer (no terminal).
    fn confirm(&self, stack: &str, question: &str) -> Option<bool>;
    /// Starts (or restarts) a stack's progress: `total` resources to settle.
    fn progress_start(&self, stack: &str, total: u64);
    /// Sets how many resources have settled.
    fn progress_set(&self, stack: &str, done: u64);
    /// Ends a stack's progress display.
    fn progress_finish(&self, stack: &str);
}

/// The terminal: lines on stdout, one progress bar per stack on stderr (hidden when stderr is
/// not a terminal), questions on stdin when it is a terminal.
pub struct TerminalUi {
    multi: MultiProgress,
    bars: Mutex<HashMap<String, ProgressBar>>,
    /// Where lines go when no bar is drawn: stdout, or stderr when stdout carries JSON.
    lines: Stream,
}

impl TerminalUi {
    /// A terminal UI.
    ///
    /// ```
    /// let ui = vpcform_deploy::TerminalUi::new();
    /// ```
    pub fn new() -> TerminalUi {
        TerminalUi {
            multi: MultiProgress::new(),
            bars: Mutex::new(HashMap::new()),
            lines: Stream::Stdout,
        }
    }

    /// A terminal UI whose lines go to stderr: stdout is kept for machine-readable output
    /// (`--format json`).
    ///
    /// ```
    /// let ui = vpcform_deploy::TerminalUi::on_stderr();
    /// ```
    pub fn on_stderr() -> TerminalUi {
        TerminalUi {
            lines: Stream::Stderr,
            ..TerminalUi::new()
        }
    }
}

impl Default for TerminalUi {
    fn default() -> Self {
        TerminalUi::new()
    }
}

impl Ui for TerminalUi {
    fn line(&self, stack: &str, text: &str) {
        let line = format!("{stack}: {text}");
        if self.multi.is_hidden() {
            write_out(self.lines, &format!("{line}\n"));
        } else {
            let _ = self.multi.println(line);
        }
    }

    /// Takes the bars off the terminal, asks, and puts them back. No lock is held while a
    /// person answers (indicatif's `suspend` would hold the display's for the whole read): an
    /// interrupt's cleanup prints while the question waits, and must not wait for Enter. Lines
    /// printed meanwhile go straight to stdout, the display being hidden.
    fn confirm(&self, stack: &str, question: &str) -> Option<bool> {
        if !std::io::stdin().is_terminal() {
            return None;
        }
        let bars_shown = !self.multi.is_hidden();
        if bars_shown {
            let _ = self.multi.clear();
            self.multi.set_draw_target(ProgressDrawTarget::hidden());
        }
        write_out(Stream::Stderr, &format!("{stack}: {question} [y/N] "));
        let mut answer = String::new();
        let read = std::io::stdin().read_line(&mut answer);
        if bars_shown {
            self.multi.set_draw_target(ProgressDrawTarget::stderr());
        }
        read.ok()?;
        Some(matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes"))
    }

    fn progress_start(&self, stack: &str, total: u64) {
        let bar = self.multi.add(ProgressBar::new(total));
        let style =
            ProgressStyle::with_template("{prefix:>12} [{bar:30}] {pos}/{len} resources {elapsed}")
                .map(|s| s.progress_chars("=> "))
                .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_prefix(stack.to_string());
        if let Ok(mut bars) = self.bars.lock()
            && let Some(old) = bars.insert(stack.to_string(), bar)
        {
            old.finish_and_clear();
        }
    }

    fn progress_set(&self, stack: &str, done: u64) {
        if let Ok(bars) = self.bars.lock()
            && let Some(bar) = bars.get(stack)
        {
            bar.set_position(done);
        }
    }

    fn progress_finish(&self, stack: &str) {
        if let Ok(mut bars) = self.bars.lock()
            && let Some(bar) = bars.remove(stack)
        {
            bar.finish_and_clear();
        }
    }
}

/// Records every line and answers questions with a fixed answer: for tests and for programs
/// that show progress their own way.
///
/// ```
/// use vpcform_deploy::{RecordingUi, Ui};
/// let ui = RecordingUi::answering(None);
/// ui.line("Net", "no changes");
/// assert_eq!(ui.lines(), ["Net: no changes"]);
/// ```
pub struct RecordingUi {
    answer: Option<bool>,
    lines: Mutex<Vec<String>>,
    progress: Mutex<HashMap<String, (u64, u64)>>,
}

impl RecordingUi {
    /// A recorder that answers every question with `answer` (`None`: no terminal).
    ///
    /// ```
    /// let ui = vpcform_deploy::RecordingUi::answering(Some(true));
    /// ```
    pub fn answering(answer: Option<bool>) -> RecordingUi {
        RecordingUi {
            answer,
            lines: Mutex::new(Vec::new()),
            progress: Mutex::new(HashMap::new()),
        }
    }

    /// The lines so far, each `"<stack>: <text>"`.
    ///
    /// ```
    /// assert!(vpcform_deploy::RecordingUi::answering(None).lines().is_empty());
    /// ```
    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// A stack's last progress as `(done, total)`.
    ///
    /// ```
    /// use vpcform_deploy::{RecordingUi, Ui};
    /// let ui = RecordingUi::answering(None);
    /// ui.progress_start("Net", 4);
    /// ui.progress_set("Net", 2);
    /// assert_eq!(ui.progress("Net"), Some((2, 4)));
    /// ```
    pub fn progress(&self, stack: &str) -> Option<(u64, u64)> {
        self.progress.lock().ok()?.get(stack).copied()
    }
}

impl Ui for RecordingUi {
    fn line(&self, stack: &str, text: &str) {
        if let Ok(mut lines) = self.lines.lock() {
            lines.push(format!("{stack}: {text}"));
        }
    }

    fn confirm(&self, stack: &str, question: &str) -> Option<bool> {
        self.line(stack, &format!("? {question}"));
        self.answer
    }

    fn progress_start(&self, stack: &str, total: u64) {
        if let Ok(mut p) = self.progress.lock() {
            p.insert(stack.to_string(), (0, total));
        }
    }

    fn progress_set(&self, stack: &str, done: u64) {
        if let Ok(mut p) = self.progress.lock()
            && let Some(entry) = p.get_mut(stack)
        {
            entry.0 = done;
        }
    }

    fn progress_finish(&self, _stack: &str) {}
}

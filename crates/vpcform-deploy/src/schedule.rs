//! Which stacks an operation touches and in what order: pure, so it is tested without AWS.
//!
//! Invariant: a stack starts only after everything it waits for succeeded; a stack whose
//! prerequisite failed is skipped, naming it; once interrupted nothing new starts; every
//! selected stack ends in exactly one final state.

use crate::{DeployError, StackTemplate};

/// The stacks named in `only` (all when empty) plus, unless `exclusively`, everything they
/// depend on, transitively: `deploy Consumer` deploys the Provider it imports from first (CDK's
/// upstream selection). In the given (dependency) order.
pub(crate) fn select_for_deploy(
    stacks: &[StackTemplate],
    only: &[String],
    exclusively: bool,
) -> Result<Vec<StackTemplate>, DeployError> {
    check_names(stacks, only)?;
    if only.is_empty() {
        return Ok(stacks.to_vec());
    }
    let mut chosen: Vec<&str> = only.iter().map(String::as_str).collect();
    if !exclusively {
        close_over(stacks, &mut chosen, |stack| {
            stack.depends_on.iter().map(String::as_str).collect()
        });
    }
    Ok(in_order(stacks, &chosen))
}

/// The stacks named in `only` (all when empty) plus every stack that depends on them,
/// transitively (CDK's downstream selection for destroy: CloudFormation refuses to delete an
/// export another stack imports). Returned in the given order, with the dependents that were
/// added (not named), for the confirmation and for `--exclusively` to refuse.
pub(crate) fn select_for_destroy(
    stacks: &[StackTemplate],
    only: &[String],
) -> Result<(Vec<StackTemplate>, Vec<String>), DeployError> {
    check_names(stacks, only)?;
    if only.is_empty() {
        return Ok((stacks.to_vec(), Vec::new()));
    }
    let mut chosen: Vec<&str> = only.iter().map(String::as_str).collect();
    close_over(stacks, &mut chosen, |stack| {
        stacks
            .iter()
            .filter(|other| other.depends_on.contains(&stack.name))
            .map(|other| other.name.as_str())
            .collect()
    });
    let added: Vec<String> = stacks
        .iter()
        .filter(|s| chosen.contains(&s.name.as_str()) && !only.contains(&s.name))
        .map(|s| s.name.clone())
        .collect();
    Ok((in_order(stacks, &chosen), added))
}

fn check_names(stacks: &[StackTemplate], only: &[String]) -> Result<(), DeployError> {
    match only.iter().find(|n| !stacks.iter().any(|s| &s.name == *n)) {
        Some(unknown) => Err(DeployError::UnknownStack(unknown.clone())),
        None => Ok(()),
    }
}

/// Adds to `chosen` what `next` names for each chosen stack until nothing new comes.
fn close_over<'a>(
    stacks: &'a [StackTemplate],
    chosen: &mut Vec<&'a str>,
    next: impl Fn(&'a StackTemplate) -> Vec<&'a str>,
) {
    let mut i = 0;
    while i < chosen.len() {
        if let Some(stack) = stacks.iter().find(|s| s.name == chosen[i]) {
            // A dependency outside the app (an existing stack) is collected too, and dropped by
            // `in_order`, which keeps the app's stacks only.
            for name in next(stack) {
                if !chosen.contains(&name) {
                    chosen.push(name);
                }
            }
        }
        i += 1;
    }
}

fn in_order(stacks: &[StackTemplate], chosen: &[&str]) -> Vec<StackTemplate> {
    stacks
        .iter()
        .filter(|s| chosen.contains(&s.name.as_str()))
        .cloned()
        .collect()
}

/// Where a stack is in a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Slot {
    Pending,
    Running,
    Succeeded,
    Failed,
    /// Not started: this prerequisite did not succeed.
    Skipped(String),
    /// Not started: interrupted first.
    NotStarted,
}

/// The run's state machine: which stacks may start now, given what finished.
#[derive(Debug)]
pub(crate) struct Schedule {
    names: Vec<String>,
    /// For each stack, the indexes of the stacks that must succeed first.
    waits_for: Vec<Vec<usize>>,
    pub(crate) slots: Vec<Slot>,
}

impl Schedule {
    /// A schedule over `stacks`: each waits for its dependencies among them, or in `reverse`
    /// (destroy) for the stacks that depend on it.
    pub(crate) fn new(stacks: &[StackTemplate], reverse: bool) -> Schedule {
        let index = |name: &str| stacks.iter().position(|s| s.name == name);
        let waits_for = stacks
            .iter()
            .map(|stack| {
                if reverse {
                    stacks
                        .iter()
                        .enumerate()
                        .filter(|(_, other)| other.depends_on.contains(&stack.name))
                        .map(|(i, _)| i)
                        .collect()
                } else {
                    stack.depends_on.iter().filter_map(|d| index(d)).collect()
                }
            })
            .collect();
        Schedule {
            names: stacks.iter().map(|s| s.name.clone()).collect(),
            waits_for,
            slots: vec![Slot::Pending; stacks.len()],
        }
    }

    /// Marks as skipped the pending stacks whose prerequisite failed or was skipped (returned,
    /// with that prerequisite), then starts up to `limit` running stacks among the ready ones
    /// (returned as indexes).
    pub(crate) fn advance(&mut self, limit: usize) -> (Vec<(usize, String)>, Vec<usize>) {
        let mut skipped = Vec::new();
        // Skips cascade: repeat until none is added.
        loop {
            let mut changed = false;
            for i in 0..self.slots.len() {
                if self.slots[i] != Slot::Pending {
                    continue;
                }
                let blocked = self.waits_for[i].iter().find(|&&d| {
                    matches!(
                        self.slots[d],
                        Slot::Failed | Slot::Skipped(_) | Slot::NotStarted
                    )
                });
                if let Some(&d) = blocked {
                    let name = self.names[d].clone();
                    self.slots[i] = Slot::Skipped(name.clone());
                    skipped.push((i, name));
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        let mut started = Vec::new();
        for i in 0..self.slots.len() {
            let running = self.slots.iter().filter(|s| **s == Slot::Running).count();
            if running >= limit.max(1) {
                break;
            }
            let ready = self.slots[i] == Slot::Pending
                && self.waits_for[i]
                    .iter()
                    .all(|&d| self.slots[d] == Slot::Succeeded);
            if ready {
                self.slots[i] = Slot::Running;
                started.push(i);
            }
        }
        (skipped, started)
    }

    /// Records a running stack's end.
    pub(crate) fn finish(&mut self, index: usize, succeeded: bool) {
        self.slots[index] = if succeeded {
            Slot::Succeeded
        } else {
            Slot::Failed
        };
    }

    /// Interrupted: every pending stack will not start (returned).
    pub(crate) fn stop(&mut self) -> Vec<usize> {
        let mut stopped = Vec::new();
        for (i, slot) in self.slots.iter_mut().enumerate() {
            if *slot == Slot::Pending {
                *slot = Slot::NotStarted;
                stopped.push(i);
            }
        }
        stopped
    }

    /// Whether a stack is still running.
    pub(crate) fn any_running(&self) -> bool {
        self.slots.contains(&Slot::Running)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stack(name: &str, depends_on: &[&str]) -> StackTemplate {
        let mut s = StackTemplate::new(name, "{}");
        s.depends_on = depends_on.iter().map(|d| d.to_string()).collect();
        s
    }

    /// Network ← Provider ← Consumer, and an unrelated Logs.
    fn app() -> Vec<StackTemplate> {
        vec![
            stack("Network", &[]),
            stack("Provider", &["Network"]),
            stack("Consumer", &["Provider"]),
            stack("Logs", &[]),
        ]
    }

    fn names(stacks: &[StackTemplate]) -> Vec<&str> {
        stacks.iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn deploying_a_stack_deploys_what_it_imports_from_first() {
        let app = app();
        let chosen = select_for_deploy(&app, &["Consumer".into()], false).expect("known");
        assert_eq!(names(&chosen), ["Network", "Provider", "Consumer"]);
        let alone = select_for_deploy(&app, &["Consumer".into()], true).expect("known");
        assert_eq!(names(&alone), ["Consumer"]);
        // A dependency that is not the app's (an existing stack) is not deployed.
        let mut outside = app.clone();
        outside[0].depends_on = vec!["Existing".into()];
        let chosen = select_for_deploy(&outside, &["Consumer".into()], false).expect("known");
        assert_eq!(names(&chosen), ["Network", "Provider", "Consumer"]);
        assert_eq!(select_for_deploy(&app, &[], false).expect("all").len(), 4);
        assert!(matches!(
            select_for_deploy(&app, &["Nope".into()], false),
            Err(DeployError::UnknownStack(n)) if n == "Nope"
        ));
    }

    #[test]
    fn destroying_a_stack_includes_the_stacks_that_import_from_it() {
        let app = app();
        let (chosen, added) = select_for_destroy(&app, &["Network".into()]).expect("known");
        assert_eq!(names(&chosen), ["Network", "Provider", "Consumer"]);
        assert_eq!(added, ["Provider", "Consumer"]);
        let (chosen, added) = select_for_destroy(&app, &["Consumer".into()]).expect("known");
        assert_eq!(names(&chosen), ["Consumer"]);
        assert!(added.is_empty());
    }

    #[test]
    fn stacks_start_when_their_dependencies_succeed_within_the_limit() {
        let app = app();
        let mut schedule = Schedule::new(&app, false);
        let (skipped, started) = schedule.advance(4);
        assert!(skipped.is_empty());
        assert_eq!(started, [0, 3], "Network and Logs have nothing to wait for");
        assert_eq!(schedule.advance(4).1, Vec::<usize>::new());
        schedule.finish(0, true);
        assert_eq!(schedule.advance(4).1, [1]);
        schedule.finish(1, true);
        assert_eq!(schedule.advance(4).1, [2]);
        let mut one_at_a_time = Schedule::new(&app, false);
        assert_eq!(one_at_a_time.advance(1).1, [0]);
        assert_eq!(one_at_a_time.advance(0).1, Vec::<usize>::new(), "0 is 1");
    }

    #[test]
    fn a_failure_skips_its_dependents_transitively() {
        let app = app();
        let mut schedule = Schedule::new(&app, false);
        schedule.advance(4);
        schedule.finish(0, false);
        let (skipped, started) = schedule.advance(4);
        assert_eq!(
            skipped,
            [(1, "Network".to_string()), (2, "Provider".to_string())]
        );
        assert!(started.is_empty());
        assert!(schedule.any_running(), "Logs still runs");
        schedule.finish(3, true);
        assert!(!schedule.any_running());
    }

    #[test]
    fn destroy_runs_dependents_first() {
        let app = app();
        let mut schedule = Schedule::new(&app, true);
        assert_eq!(schedule.advance(4).1, [2, 3], "Consumer and Logs first");
        schedule.finish(2, true);
        assert_eq!(schedule.advance(4).1, [1]);
    }

    /// A step (an acceptance) is scheduled as a stack: after its requester, before the stacks
    /// that need the accepted attachment, skipped when its requester fails.
    #[test]
    fn a_step_runs_between_its_requester_and_the_stacks_that_need_it() {
        let mut accept = stack("AcceptPeering", &["East"]);
        accept.step = Some(
            vpcform_assembly::StepAction::AcceptTransitGatewayPeeringAttachment {
                attachment: vpcform_assembly::OutputRef::new("East", "PeeringAttachmentId"),
            },
        );
        let app = vec![
            stack("East", &[]),
            accept,
            stack("WestRoutes", &["AcceptPeering"]),
        ];
        let chosen = select_for_deploy(&app, &["WestRoutes".into()], false).expect("known");
        assert_eq!(names(&chosen), ["East", "AcceptPeering", "WestRoutes"]);
        let mut schedule = Schedule::new(&app, false);
        assert_eq!(schedule.advance(4).1, [0]);
        schedule.finish(0, true);
        assert_eq!(schedule.advance(4).1, [1], "the step after its requester");
        schedule.finish(1, true);
        assert_eq!(schedule.advance(4).1, [2]);
        let mut failing = Schedule::new(&app, false);
        failing.advance(4);
        failing.finish(0, false);
        assert_eq!(
            failing.advance(4).0,
            [(1, "East".to_string()), (2, "AcceptPeering".to_string())]
        );
        // Destroy: the routes, then the step (which does nothing), then the requester.
        let mut destroy = Schedule::new(&app, true);
        assert_eq!(destroy.advance(4).1, [2]);
    }

    #[test]
    fn an_interrupt_starts_nothing_more() {
        let app = app();
        let mut schedule = Schedule::new(&app, false);
        schedule.advance(1);
        assert_eq!(schedule.stop(), [1, 2, 3]);
        schedule.finish(0, true);
        assert_eq!(schedule.advance(4), (vec![], vec![]));
        assert_eq!(schedule.slots[3], Slot::NotStarted);
    }
}

//! Orphans: the app's stacks deployed in the environments the program names that the program no
//! longer has (a spoke dropped from the config), listed ([`Deployer::list`]) and destroyed after
//! the same confirmation as destroy, in dependency order among themselves
//! ([`Deployer::destroy_orphans`]).
//!
//! Invariant: a stack is an orphan only when it carries the app's tag ([`APP_TAG`]) and no entry
//! of the program (stack, stack set or step) has its name in any environment, so nothing the
//! program still has is ever offered for deletion; orphans are deleted only when no stack
//! outside them imports from one, checked before the question is asked.

use std::collections::HashSet;

use aws_sdk_cloudformation::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cloudformation::types::{Stack, StackStatus};
use aws_smithy_types::date_time::Format;

use crate::calls::aws;
use crate::{DeployError, Deployer, Environment, Report, StackTemplate};

/// The stack tag whose value is the app's name: synthesis puts it first among every stack's tags
/// (the manifest's `tags`), and the deployer passes them to CloudFormation, which keeps them on
/// the stack (`Stack.Tags`, DescribeStacks API reference).
pub const APP_TAG: &str = "vpcform:app";

/// A stack of the app as deployed, from DescribeStacks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeployedStack {
    /// The stack's name.
    pub name: String,
    /// Its ID (an ARN naming its Region and account).
    pub stack_id: String,
    /// The program's environment it was found in.
    pub environment: Environment,
    /// `StackStatus`, e.g. `UPDATE_COMPLETE`.
    pub status: String,
    /// `LastUpdatedTime`, or `CreationTime` for a stack never updated, in RFC 3339.
    pub last_updated: Option<String>,
    /// Whether the program no longer has it.
    pub orphan: bool,
    /// The names its outputs export (`Output.ExportName`).
    pub exports: Vec<String>,
}

/// What [`Deployer::list`] found: the app's stacks in each environment the program names.
///
/// ```
/// use vpcform_deploy::{DeployedStack, Environment, Listing};
/// let listing = Listing {
///     app: "network".into(),
///     environments: vec![Environment::default()],
///     stacks: vec![DeployedStack {
///         name: "Spoke3".into(),
///         stack_id: "arn:aws:cloudformation:us-east-1:111122223333:stack/Spoke3/1".into(),
///         environment: Environment::default(),
///         status: "CREATE_COMPLETE".into(),
///         last_updated: Some("2026-12-01T10:00:00Z".into()),
///         orphan: true,
///         exports: vec![],
///     }],
/// };
/// assert_eq!(listing.orphans().count(), 1);
/// assert!(listing.to_string().contains("Spoke3  CREATE_COMPLETE  2026-12-01T10:00:00Z  orphan"));
/// assert_eq!(listing.to_json()["stacks"][0]["orphan"], true);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listing {
    /// The app's name (the value of [`APP_TAG`]).
    pub app: String,
    /// The environments searched, in the program's order.
    pub environments: Vec<Environment>,
    /// The app's stacks found, by environment, then by name.
    pub stacks: Vec<DeployedStack>,
}

impl Listing {
    /// The stacks the program no longer has.
    pub fn orphans(&self) -> impl Iterator<Item = &DeployedStack> {
        self.stacks.iter().filter(|s| s.orphan)
    }

    /// The listing as JSON: `{"app", "environments": [...], "stacks": [{"name", "stackId",
    /// "environment", "status", "lastUpdated", "orphan", "exports"}]}`, environments written as
    /// in the manifest.
    pub fn to_json(&self) -> serde_json::Value {
        let environment = |e: &Environment| serde_json::to_value(e).unwrap_or_default();
        serde_json::json!({
            "app": self.app,
            "environments": self.environments.iter().map(environment).collect::<Vec<_>>(),
            "stacks": self.stacks.iter().map(|s| serde_json::json!({
                "name": s.name,
                "stackId": s.stack_id,
                "environment": environment(&s.environment),
                "status": s.status,
                "lastUpdated": s.last_updated,
                "orphan": s.orphan,
                "exports": s.exports,
            })).collect::<Vec<_>>(),
        })
    }
}

impl std::fmt::Display for Listing {
    /// Per environment, each stack on a line: name, status, last update, and `orphan` for those
    /// the program no longer has; then what to do about them.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let width =
            |field: fn(&DeployedStack) -> usize| self.stacks.iter().map(field).max().unwrap_or(0);
        let (name_width, status_width) = (width(|s| s.name.len()), width(|s| s.status.len()));
        for environment in &self.environments {
            let here: Vec<&DeployedStack> = self
                .stacks
                .iter()
                .filter(|s| s.environment == *environment)
                .collect();
            if here.is_empty() {
                writeln!(f, "{environment}: no stacks of app {}", self.app)?;
                continue;
            }
            writeln!(f, "{environment}:")?;
            for stack in here {
                let line = format!(
                    "  {:name_width$}  {:status_width$}  {}{}",
                    stack.name,
                    stack.status,
                    stack.last_updated.as_deref().unwrap_or("-"),
                    if stack.orphan {
                        "  orphan (the program no longer has it)"
                    } else {
                        ""
                    }
                );
                writeln!(f, "{}", line.trim_end())?;
            }
        }
        match self.orphans().count() {
            0 => writeln!(f, "no orphans"),
            n => writeln!(
                f,
                "{n} orphan{}: `destroy --orphans` removes {}",
                if n == 1 { "" } else { "s" },
                if n == 1 { "it" } else { "them" }
            ),
        }
    }
}

impl Deployer {
    /// The stacks tagged as app `app`'s ([`APP_TAG`]) in each environment `stacks` (the
    /// program's stacks and steps) name, each marked as an orphan when the program has no entry
    /// of its name. DescribeStacks without a name, paginated, returns every stack but deleted
    /// ones, with its tags (DescribeStacks API reference); one call per page and environment.
    ///
    /// ```no_run
    /// # async fn demo(deployer: vpcform_deploy::Deployer, stacks: Vec<vpcform_deploy::StackTemplate>) -> Result<(), vpcform_deploy::DeployError> {
    /// let listing = deployer.list("network", &stacks).await?;
    /// print!("{listing}");
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// An environment's connection or account check ([`DeployError::AccountMismatch`]), or a
    /// DescribeStacks error.
    pub async fn list(&self, app: &str, stacks: &[StackTemplate]) -> Result<Listing, DeployError> {
        // The stacks' environments: a step's (an accepter's account) holds no stack of the app,
        // and an unreachable one must not stop the listing.
        let own: Vec<&StackTemplate> = stacks.iter().filter(|s| s.step.is_none()).collect();
        let mut environments: Vec<Environment> = Vec::new();
        for stack in &own {
            if !environments.contains(&stack.environment) {
                environments.push(stack.environment.clone());
            }
        }
        self.prepare_environments(&own).await?;
        let mut seen: HashSet<String> = HashSet::new();
        let mut found = Vec::new();
        for environment in &environments {
            let deployer = self.in_environment(environment)?;
            let mut here: Vec<DeployedStack> = deployer
                .app_stacks(app, environment)
                .await?
                .iter()
                // Two environments of the program may be one place (the ambient Region and the
                // same one pinned): a stack is listed once, where first found.
                .filter(|s| seen.insert(s.stack_id().unwrap_or_default().to_string()))
                .map(|s| deployed(s, environment, stacks))
                .collect();
            here.sort_by(|a, b| a.name.cmp(&b.name));
            found.extend(here);
        }
        Ok(Listing {
            app: app.to_string(),
            environments,
            stacks: found,
        })
    }

    /// Destroys the orphans [`Deployer::list`] finds, after one confirmation unless `yes` (as
    /// [`Deployer::destroy`]), an orphan that others import from after them, each reported as
    /// destroy reports a stack. Nothing is deleted while a stack that is not an orphan imports
    /// from one (ListImports): CloudFormation would refuse to delete its export.
    ///
    /// ```no_run
    /// # async fn demo(deployer: vpcform_deploy::Deployer, stacks: Vec<vpcform_deploy::StackTemplate>) -> Result<(), vpcform_deploy::DeployError> {
    /// let report = deployer.destroy_orphans("network", &stacks).await?;
    /// for (stack, outcome) in report.into_result()? {
    ///     println!("{stack}: {outcome}");
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`DeployError::OrphanImported`] naming the importer and what to do,
    /// [`DeployError::ConfirmationRequired`] without a terminal and without `yes`,
    /// [`DeployError::DestroyDeclined`], [`DeployError::NotStarted`] when interrupted at the
    /// question, or [`Deployer::list`]'s; each stack's own failure is in the report.
    pub async fn destroy_orphans(
        &self,
        app: &str,
        stacks: &[StackTemplate],
    ) -> Result<Report, DeployError> {
        let listing = self.list(app, stacks).await?;
        let orphans: Vec<&DeployedStack> = listing.orphans().collect();
        if orphans.is_empty() {
            self.ui.line(
                app,
                "no orphans: every stack of the app in the program's environments is in the \
                 program",
            );
            return Ok(Report { stacks: Vec::new() });
        }
        let mut planned: Vec<StackTemplate> = orphans
            .iter()
            .map(|o| StackTemplate {
                environment: o.environment.clone(),
                ..StackTemplate::new(o.name.clone(), "")
            })
            .collect();
        for orphan in &orphans {
            let deployer = self.in_environment(&orphan.environment)?;
            for export in &orphan.exports {
                for importer in deployer.importers(&orphan.name, export).await? {
                    // Exports and imports are per account and Region: the importer is in the
                    // orphan's place.
                    let among = orphans.iter().position(|o| {
                        o.name == importer && place(&o.stack_id) == place(&orphan.stack_id)
                    });
                    if let Some(index) = among {
                        // Another orphan: it goes first (the run waits for dependents).
                        if !planned[index].depends_on.contains(&orphan.name) {
                            planned[index].depends_on.push(orphan.name.clone());
                        }
                        continue;
                    }
                    let fix = if stacks.iter().any(|s| s.name == importer) {
                        format!(
                            "redeploy {importer} first so that it no longer imports it, then \
                             run destroy --orphans again"
                        )
                    } else {
                        format!(
                            "{importer} is not a stack of this program: update or delete it first"
                        )
                    };
                    return Err(DeployError::OrphanImported {
                        stack: orphan.name.clone(),
                        export: export.clone(),
                        importer,
                        fix,
                    });
                }
            }
        }
        let planned = importers_first(planned);
        let names: Vec<&str> = planned.iter().map(|s| s.name.as_str()).collect();
        if !self.options.yes {
            let who = names.join(",");
            let question = format!(
                "destroy {} (stacks of app {app} the program no longer has) and every resource \
                 in them?",
                names.join(", ")
            );
            match self.ask(&who, &question).await {
                Ok(Some(true)) => {}
                Ok(Some(false)) => return Err(DeployError::DestroyDeclined { stack: who }),
                Ok(None) => {
                    return Err(DeployError::ConfirmationRequired {
                        stack: who,
                        reason: "destroy deletes the stacks and every resource in them".into(),
                        fix: "pass --yes to destroy them",
                    });
                }
                Err(_) => return Err(DeployError::NotStarted { stack: who }),
            }
        }
        Ok(self
            .run(planned, true, |deployer, stack| async move {
                deployer.destroy_stack(&stack.name).await
            })
            .await)
    }

    /// Every stack of this environment tagged as `app`'s, but deleted ones, nested ones (their
    /// root stack is the app's) and stack set instances (their set manages them).
    async fn app_stacks(
        &self,
        app: &str,
        environment: &Environment,
    ) -> Result<Vec<Stack>, DeployError> {
        let who = format!("app {app} in {environment}");
        let mut found = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let call = self
                .client
                .describe_stacks()
                .set_next_token(token.clone())
                .send();
            let page = self
                .interruptible(&who, "DescribeStacks", call)
                .await?
                .map_err(|e| aws(&who, "DescribeStacks", e))?;
            found.extend(page.stacks().iter().filter(|s| of_app(s, app)).cloned());
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
        Ok(found)
    }

    /// The stacks importing `export` (ListImports, paginated); none when CloudFormation answers
    /// that it is not imported.
    async fn importers(&self, stack: &str, export: &str) -> Result<Vec<String>, DeployError> {
        let mut importers = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let call = self
                .client
                .list_imports()
                .export_name(export)
                .set_next_token(token.clone())
                .send();
            let page = match self.interruptible(stack, "ListImports", call).await? {
                Ok(page) => page,
                Err(e) if not_imported(&e) => break,
                Err(e) => return Err(aws(stack, "ListImports", e)),
            };
            importers.extend(page.imports().iter().cloned());
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
        Ok(importers)
    }
}

/// Whether `stack` is one of app `app`'s top-level stacks: tagged with it, not deleted
/// (`DELETE_COMPLETE`), not nested (`RootId` is set for nested stacks only) and not a stack set
/// instance (named `StackSet-<set>-<id>` by StackSets, and deleted through its set). Sources:
/// DescribeStacks `Stack` (Tags, StackStatus, RootId), API reference; StackSets User Guide,
/// "stack instances".
fn of_app(stack: &Stack, app: &str) -> bool {
    stack
        .tags()
        .iter()
        .any(|t| t.key() == Some(APP_TAG) && t.value() == Some(app))
        && stack.stack_status() != Some(&StackStatus::DeleteComplete)
        && stack.root_id().is_none()
        && !stack
            .stack_name()
            .unwrap_or_default()
            .starts_with("StackSet-")
}

/// `stack` as listed in `environment`: an orphan when no entry of `program` has its name (in
/// any environment: the same place may be named twice, and a stack the program has must never
/// be offered for deletion).
fn deployed(stack: &Stack, environment: &Environment, program: &[StackTemplate]) -> DeployedStack {
    let name = stack.stack_name().unwrap_or_default().to_string();
    DeployedStack {
        orphan: !program.iter().any(|s| s.name == name),
        stack_id: stack.stack_id().unwrap_or(&name).to_string(),
        environment: environment.clone(),
        status: stack
            .stack_status()
            .map(|s| s.as_str().to_string())
            .unwrap_or_else(|| "UNKNOWN".into()),
        last_updated: stack
            .last_updated_time()
            .or(stack.creation_time())
            .and_then(|t| t.fmt(Format::DateTime).ok()),
        exports: stack
            .outputs()
            .iter()
            .filter_map(|o| o.export_name().map(str::to_string))
            .collect(),
        name,
    }
}

/// The Region and account of a stack ID, `arn:aws:cloudformation:REGION:ACCOUNT:stack/…`: where
/// its exports can be imported (exports are per account and Region).
fn place(stack_id: &str) -> (&str, &str) {
    let mut fields = stack_id.split(':').skip(3);
    (
        fields.next().unwrap_or_default(),
        fields.next().unwrap_or_default(),
    )
}

/// CloudFormation answers ListImports for an export nothing imports with `ValidationError`
/// "Export 'NAME' is not imported by any stack." rather than an empty list.
fn not_imported<E: ProvideErrorMetadata, R>(error: &SdkError<E, R>) -> bool {
    error.code() == Some("ValidationError")
        && error
            .message()
            .is_some_and(|m| m.contains("is not imported by any stack"))
}

/// `planned` ordered so that each orphan comes after every orphan that imports from it (its
/// `depends_on` names what it imports from): the order deletion takes, and the report's.
fn importers_first(mut pending: Vec<StackTemplate>) -> Vec<StackTemplate> {
    let mut ordered: Vec<StackTemplate> = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        // The first whose importers are all placed; a cycle (CloudFormation refuses one)
        // keeps the given order rather than looping.
        let ready = pending
            .iter()
            .position(|candidate| {
                pending
                    .iter()
                    .all(|other| !other.depends_on.contains(&candidate.name))
            })
            .unwrap_or(0);
        ordered.push(pending.remove(ready));
    }
    ordered
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, imports_from: &[&str]) -> StackTemplate {
        StackTemplate {
            depends_on: imports_from.iter().map(|s| s.to_string()).collect(),
            ..StackTemplate::new(name, "")
        }
    }

    #[test]
    fn importers_are_destroyed_before_what_they_import_from() {
        let order = importers_first(vec![
            entry("Hub", &[]),
            entry("SpokeA", &["Hub"]),
            entry("Shared", &["Hub"]),
            entry("SpokeB", &["Shared"]),
        ]);
        let names: Vec<&str> = order.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["SpokeA", "SpokeB", "Shared", "Hub"]);
    }

    #[test]
    fn a_place_is_the_region_and_account_of_the_stack_id() {
        assert_eq!(
            place("arn:aws:cloudformation:eu-west-1:111122223333:stack/Hub/abc"),
            ("eu-west-1", "111122223333")
        );
        assert_eq!(place("Hub"), ("", ""));
    }

    fn stack(name: &str, tag: Option<&str>) -> aws_sdk_cloudformation::types::Stack {
        let mut builder = Stack::builder()
            .stack_name(name)
            .stack_status(StackStatus::CreateComplete);
        if let Some(app) = tag {
            builder = builder.tags(
                aws_sdk_cloudformation::types::Tag::builder()
                    .key(APP_TAG)
                    .value(app)
                    .build(),
            );
        }
        builder.build()
    }

    #[test]
    fn only_the_apps_top_level_live_stacks_are_its() {
        assert!(of_app(&stack("Hub", Some("network")), "network"));
        assert!(!of_app(&stack("Hub", Some("other")), "network"));
        assert!(!of_app(&stack("Hub", None), "network"));
        assert!(!of_app(
            &stack("StackSet-Baseline-1234", Some("network")),
            "network"
        ));
        let nested = Stack::builder()
            .stack_name("Hub-Nested-1")
            .root_id("arn:aws:cloudformation:us-east-1:1:stack/Hub/1")
            .tags(
                aws_sdk_cloudformation::types::Tag::builder()
                    .key(APP_TAG)
                    .value("network")
                    .build(),
            )
            .build();
        assert!(!of_app(&nested, "network"));
        let deleted = Stack::builder()
            .stack_name("Old")
            .stack_status(StackStatus::DeleteComplete)
            .tags(
                aws_sdk_cloudformation::types::Tag::builder()
                    .key(APP_TAG)
                    .value("network")
                    .build(),
            )
            .build();
        assert!(!of_app(&deleted, "network"));
    }
}

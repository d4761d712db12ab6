//! Deployment errors: each names the stack and says what to do.

/// The first resource that failed in a stack operation, from the stack's events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedResource {
    /// The resource's logical ID.
    pub logical_id: String,
    /// Its type, e.g. `AWS::EC2::VPCEndpoint`.
    pub resource_type: String,
    /// Its status, e.g. `CREATE_FAILED`.
    pub status: String,
    /// CloudFormation's reason.
    pub reason: String,
}

impl std::fmt::Display for FailedResource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}) {}: {}",
            self.logical_id, self.resource_type, self.status, self.reason
        )
    }
}

/// Why a deploy, diff or destroy did not complete.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeployError {
    /// A CloudFormation API call failed (after the SDK's retries).
    #[error("{stack}: {operation} failed: {code}: {message}")]
    Aws {
        /// The stack.
        stack: String,
        /// The API operation.
        operation: &'static str,
        /// The error code, e.g. `ValidationError`.
        code: String,
        /// The error message.
        message: String,
    },
    /// The template is too large to send in the request.
    #[error(
        "{stack}: the template is {bytes} bytes, over CloudFormation's 51,200-byte TemplateBody \
         limit; it must be uploaded to S3 (TemplateURL), which vpcform does not do yet — split the stack"
    )]
    TemplateTooLarge {
        /// The stack.
        stack: String,
        /// The template's size.
        bytes: usize,
    },
    /// A value was given for a parameter the stack's template does not declare.
    #[error(
        "{stack}: no template parameter named {parameter} (declared: {declared}); check the name \
         given with --parameters {stack}:NAME=VALUE"
    )]
    UnknownParameter {
        /// The stack.
        stack: String,
        /// The name given.
        parameter: String,
        /// The template's parameters.
        declared: String,
    },
    /// A new stack's parameter has neither a value nor a default.
    #[error(
        "{stack}: parameter {parameter} has no value and no default, so the stack cannot be \
         created; give it with --parameters {stack}:{parameter}=VALUE (nothing was created)"
    )]
    MissingParameter {
        /// The stack.
        stack: String,
        /// The parameter.
        parameter: String,
    },
    /// The stack is in the middle of another operation.
    #[error("{stack}: the stack is {status}; wait for that operation to finish, then try again")]
    StackBusy {
        /// The stack.
        stack: String,
        /// Its status.
        status: String,
    },
    /// CloudFormation could not create the change set.
    #[error("{stack}: the change set failed: {reason}")]
    ChangeSetFailed {
        /// The stack.
        stack: String,
        /// CloudFormation's reason.
        reason: String,
    },
    /// Changes that replace or remove resources need confirmation, and there is no terminal.
    #[error(
        "{stack}: the change set replaces or removes resources and there is no terminal to confirm \
         it; review it and pass --yes to deploy anyway (the change set was deleted)"
    )]
    ConfirmationRequired {
        /// The stack.
        stack: String,
    },
    /// The user declined the changes.
    #[error("{stack}: not deployed: the changes were declined (the change set was deleted)")]
    Declined {
        /// The stack.
        stack: String,
    },
    /// The user declined a destroy.
    #[error("{stack}: not destroyed: declined")]
    DestroyDeclined {
        /// The stacks.
        stack: String,
    },
    /// The stack operation failed.
    #[error(
        "{stack}: {operation} failed; the stack is {status}{}",
        cause.as_ref().map(|c| format!(". First failure: {c}")).unwrap_or_default()
    )]
    StackFailed {
        /// The stack.
        stack: String,
        /// What was attempted: `create`, `update` or `delete`.
        operation: &'static str,
        /// The final status.
        status: String,
        /// The first resource that failed, when the events name one.
        cause: Option<Box<FailedResource>>,
    },
    /// Interrupted (Ctrl-C) while CloudFormation was working.
    #[error(
        "{stack}: interrupted; the stack is {status} and CloudFormation carries on without us — \
         follow it in the console or run the command again when it settles"
    )]
    Interrupted {
        /// The stack.
        stack: String,
        /// Its status when we stopped.
        status: String,
    },
    /// Interrupted before anything was executed.
    #[error(
        "{stack}: interrupted before executing; nothing was changed (the change set was deleted)"
    )]
    InterruptedBeforeExecution {
        /// The stack.
        stack: String,
    },
    /// Destroy refused by termination protection.
    #[error(
        "{stack}: termination protection is on; turn it off in the program (or with \
         `aws cloudformation update-termination-protection --no-enable-termination-protection \
         --stack-name {stack}`) to destroy it"
    )]
    TerminationProtected {
        /// The stack.
        stack: String,
    },
    /// A stack named on the command line that the app does not define.
    #[error("no stack named {0:?} in this app")]
    UnknownStack(String),
    /// A stack not started because a stack it depends on failed.
    #[error("{stack}: skipped because {dependency} did not deploy")]
    Skipped {
        /// The stack.
        stack: String,
        /// The dependency that failed.
        dependency: String,
    },
    /// A deployed template that is not JSON (written by another tool).
    #[error("{stack}: the deployed template is not JSON ({reason}); vpcform diffs JSON templates")]
    TemplateNotJson {
        /// The stack.
        stack: String,
        /// The parse error.
        reason: String,
    },
}

impl DeployError {
    /// The stack the error is about, if one.
    ///
    /// ```
    /// let e = vpcform_deploy::DeployError::UnknownStack("X".into());
    /// assert_eq!(e.stack(), None);
    /// ```
    pub fn stack(&self) -> Option<&str> {
        match self {
            DeployError::Aws { stack, .. }
            | DeployError::TemplateTooLarge { stack, .. }
            | DeployError::UnknownParameter { stack, .. }
            | DeployError::MissingParameter { stack, .. }
            | DeployError::StackBusy { stack, .. }
            | DeployError::ChangeSetFailed { stack, .. }
            | DeployError::ConfirmationRequired { stack }
            | DeployError::Declined { stack }
            | DeployError::DestroyDeclined { stack }
            | DeployError::StackFailed { stack, .. }
            | DeployError::Interrupted { stack, .. }
            | DeployError::InterruptedBeforeExecution { stack }
            | DeployError::TerminationProtected { stack }
            | DeployError::Skipped { stack, .. }
            | DeployError::TemplateNotJson { stack, .. } => Some(stack),
            DeployError::UnknownStack(_) => None,
        }
    }
}

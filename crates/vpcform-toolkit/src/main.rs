//! The `vpcform` command (see the library's documentation).

fn main() -> std::process::ExitCode {
    vpcform_toolkit::main_with(std::env::args_os())
}

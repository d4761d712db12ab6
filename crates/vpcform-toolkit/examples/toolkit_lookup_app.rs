//! A program with a lookup, for the toolkit's tests: a security group in the VPC the
//! `toolkit_test_app` deployed (found by its `Name` tag in moto's account), which the toolkit
//! must look up before the program can synthesize.

use vpcform::lookups::VpcLookup;
use vpcform::prelude::*;

vpcform::topology! { stack Adopted { vpc Landing } }

fn main() -> std::process::ExitCode {
    let mut stack = Stack::<Adopted>::new("Adopted")
        .account("123456789012")
        .region("us-east-1");
    let landing = stack.add(
        "Landing",
        VpcLookup::<Landing>::by_name("PrivateEndpoints/Workload"),
    );
    stack.add(
        "AppSg",
        SecurityGroup::builder()
            .vpc(&landing)
            .description("the adopted workload")
            .build(),
    );
    let mut app = App::new("adopted");
    app.add_stack(stack);
    app.run()
}

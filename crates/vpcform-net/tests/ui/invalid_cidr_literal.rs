// A /33 prefix does not exist.
fn main() {
    let _ = vpcform_net::cidr!("10.0.0.0/33");
}

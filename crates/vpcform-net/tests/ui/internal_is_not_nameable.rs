// Internals stay internal: the value an export carries is public in a private module, so a
// program can neither name it nor implement `Exportable` (whose method returns it).
fn main() {
    let _value: Option<vpcform_net::export::OutputValue> = None;
}

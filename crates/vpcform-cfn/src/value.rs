//! Property values, including CloudFormation's intrinsic functions.
//!
//! A [`Value`] is plain JSON plus the intrinsics as typed variants, so that a template can be
//! inspected (which resources does this value reference? which exports does it import?) before it
//! is serialized.

use indexmap::IndexMap;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// A CloudFormation property value: JSON, or an intrinsic function.
///
/// ```
/// use vpcform_cfn::{Pseudo, Value};
///
/// let name = Value::sub("com.amazonaws.${AWS::Region}.s3");
/// assert_eq!(
///     serde_json::to_string(&name).unwrap(),
///     r#"{"Fn::Sub":"com.amazonaws.${AWS::Region}.s3"}"#
/// );
/// assert_eq!(
///     serde_json::to_string(&Value::from(Pseudo::Region)).unwrap(),
///     r#"{"Ref":"AWS::Region"}"#
/// );
/// ```
#[derive(Clone, Debug)]
pub enum Value {
    /// JSON `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A string.
    String(String),
    /// A list of values.
    List(Vec<Value>),
    /// A map of values, in insertion order.
    Map(IndexMap<String, Value>),
    /// `{"Ref": name}`: a resource's, a parameter's or a pseudo parameter's value.
    Ref(String),
    /// `{"Fn::GetAtt": [logical_id, attribute]}`.
    GetAtt {
        /// The resource's logical ID.
        logical_id: String,
        /// The attribute name, e.g. `CidrBlock`.
        attribute: String,
    },
    /// `{"Fn::Sub": template}` or `{"Fn::Sub": [template, variables]}`.
    Sub {
        /// The string with `${Name}` placeholders.
        template: String,
        /// Variables for the placeholders; empty for the short form.
        variables: IndexMap<String, Value>,
    },
    /// `{"Fn::Join": [delimiter, values]}`.
    Join {
        /// The delimiter placed between values.
        delimiter: String,
        /// The values to join.
        values: Vec<Value>,
    },
    /// `{"Fn::Select": [index, list]}`.
    Select {
        /// The zero-based index.
        index: u32,
        /// The list to select from.
        list: Box<Value>,
    },
    /// `{"Fn::GetAZs": region}`; an empty string means the stack's region.
    GetAzs(Box<Value>),
    /// `{"Fn::Split": [delimiter, source]}`.
    Split {
        /// The delimiter.
        delimiter: String,
        /// The string to split.
        source: Box<Value>,
    },
    /// `{"Fn::ImportValue": export_name}`.
    ImportValue(Box<Value>),
    /// A value that means something in one template only — a `Ref`, `Fn::GetAtt` or `Fn::Sub`
    /// of that template's resources — marked with the template's [`Scope`]. It is written as
    /// `value` alone; the mark lets a program that builds several templates find a value of one
    /// written into another ([`Template::foreign_values`](crate::Template::foreign_values)),
    /// where the same logical ID names something else or nothing. Equality ignores the mark.
    Scoped {
        /// The template the value belongs to.
        scope: Scope,
        /// The value.
        value: Box<Value>,
    },
}

/// Which template a [`Value::Scoped`] belongs to: a number the program building the templates
/// gives each of them.
///
/// ```
/// use vpcform_cfn::{Scope, Value};
/// let v = Value::reference("Vpc").scoped(Scope::new(1));
/// assert_eq!(v.scope(), Some(Scope::new(1)));
/// assert_eq!(v, Value::reference("Vpc"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Scope(u64);

impl Scope {
    /// The scope numbered `id`.
    ///
    /// ```
    /// assert_eq!(vpcform_cfn::Scope::new(7).id(), 7);
    /// ```
    pub const fn new(id: u64) -> Scope {
        Scope(id)
    }

    /// Its number.
    ///
    /// ```
    /// assert_eq!(vpcform_cfn::Scope::new(7).id(), 7);
    /// ```
    pub const fn id(self) -> u64 {
        self.0
    }
}

/// CloudFormation's pseudo parameters, usable wherever a [`Value`] is.
///
/// ```
/// use vpcform_cfn::{Pseudo, Value};
/// assert_eq!(Value::from(Pseudo::AccountId), Value::Ref("AWS::AccountId".into()));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pseudo {
    /// `AWS::AccountId`.
    AccountId,
    /// `AWS::Region`.
    Region,
    /// `AWS::StackName`.
    StackName,
    /// `AWS::StackId`.
    StackId,
    /// `AWS::Partition`.
    Partition,
    /// `AWS::URLSuffix`.
    UrlSuffix,
    /// `AWS::NoValue`: removes the property it is assigned to.
    NoValue,
}

impl Pseudo {
    /// The pseudo parameter's name, e.g. `AWS::Region`.
    ///
    /// ```
    /// assert_eq!(vpcform_cfn::Pseudo::Partition.name(), "AWS::Partition");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Pseudo::AccountId => "AWS::AccountId",
            Pseudo::Region => "AWS::Region",
            Pseudo::StackName => "AWS::StackName",
            Pseudo::StackId => "AWS::StackId",
            Pseudo::Partition => "AWS::Partition",
            Pseudo::UrlSuffix => "AWS::URLSuffix",
            Pseudo::NoValue => "AWS::NoValue",
        }
    }

    /// Whether `name` is a pseudo parameter (so a `Ref` to it needs no resource).
    ///
    /// ```
    /// assert!(vpcform_cfn::Pseudo::is_pseudo("AWS::Region"));
    /// assert!(!vpcform_cfn::Pseudo::is_pseudo("MyVpc"));
    /// ```
    pub fn is_pseudo(name: &str) -> bool {
        name.starts_with("AWS::")
    }
}

impl Value {
    /// `{"Ref": logical_id}`.
    ///
    /// ```
    /// let v = vpcform_cfn::Value::reference("MyVpc");
    /// assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"Ref":"MyVpc"}"#);
    /// ```
    pub fn reference(logical_id: impl Into<String>) -> Value {
        Value::Ref(logical_id.into())
    }

    /// `{"Fn::GetAtt": [logical_id, attribute]}`.
    ///
    /// ```
    /// let v = vpcform_cfn::Value::get_att("MyVpc", "CidrBlock");
    /// assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"Fn::GetAtt":["MyVpc","CidrBlock"]}"#);
    /// ```
    pub fn get_att(logical_id: impl Into<String>, attribute: impl Into<String>) -> Value {
        Value::GetAtt {
            logical_id: logical_id.into(),
            attribute: attribute.into(),
        }
    }

    /// The short form `{"Fn::Sub": template}`.
    ///
    /// ```
    /// let v = vpcform_cfn::Value::sub("${AWS::StackName}-vpc");
    /// assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"Fn::Sub":"${AWS::StackName}-vpc"}"#);
    /// ```
    pub fn sub(template: impl Into<String>) -> Value {
        Value::Sub {
            template: template.into(),
            variables: IndexMap::new(),
        }
    }

    /// The long form `{"Fn::Sub": [template, {name: value, …}]}`.
    ///
    /// ```
    /// use vpcform_cfn::Value;
    /// let v = Value::sub_with("${Svc}.vpce", [("Svc", Value::reference("Service"))]);
    /// assert_eq!(
    ///     serde_json::to_string(&v).unwrap(),
    ///     r#"{"Fn::Sub":["${Svc}.vpce",{"Svc":{"Ref":"Service"}}]}"#
    /// );
    /// ```
    pub fn sub_with<K: Into<String>>(
        template: impl Into<String>,
        variables: impl IntoIterator<Item = (K, Value)>,
    ) -> Value {
        Value::Sub {
            template: template.into(),
            variables: variables.into_iter().map(|(k, v)| (k.into(), v)).collect(),
        }
    }

    /// `{"Fn::Join": [delimiter, values]}`.
    ///
    /// ```
    /// use vpcform_cfn::Value;
    /// let v = Value::join(",", ["a".into(), Value::reference("B")]);
    /// assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"Fn::Join":[",",["a",{"Ref":"B"}]]}"#);
    /// ```
    pub fn join(delimiter: impl Into<String>, values: impl IntoIterator<Item = Value>) -> Value {
        Value::Join {
            delimiter: delimiter.into(),
            values: values.into_iter().collect(),
        }
    }

    /// `{"Fn::Select": [index, list]}`.
    ///
    /// ```
    /// use vpcform_cfn::Value;
    /// let az = Value::select(1, Value::get_azs());
    /// assert_eq!(serde_json::to_string(&az).unwrap(), r#"{"Fn::Select":[1,{"Fn::GetAZs":""}]}"#);
    /// ```
    pub fn select(index: u32, list: Value) -> Value {
        Value::Select {
            index,
            list: Box::new(list),
        }
    }

    /// `{"Fn::Cidr": [ip_block, count, cidr_bits]}`: `count` blocks of `cidr_bits` host bits
    /// each (64 for IPv6 /64s) carved from `ip_block`.
    ///
    /// ```
    /// use vpcform_cfn::Value;
    /// let blocks = Value::cidr(Value::select(0, Value::get_att("Vpc", "Ipv6CidrBlocks")), 256, 64);
    /// assert_eq!(
    ///     serde_json::to_string(&blocks).unwrap(),
    ///     r#"{"Fn::Cidr":[{"Fn::Select":[0,{"Fn::GetAtt":["Vpc","Ipv6CidrBlocks"]}]},256,"64"]}"#
    /// );
    /// ```
    pub fn cidr(ip_block: Value, count: u32, cidr_bits: u32) -> Value {
        let mut map = IndexMap::new();
        map.insert(
            "Fn::Cidr".to_string(),
            Value::List(vec![
                ip_block,
                Value::from(count),
                Value::from(cidr_bits.to_string()),
            ]),
        );
        Value::Map(map)
    }

    /// `{"Fn::Split": [delimiter, source]}`.
    ///
    /// ```
    /// use vpcform_cfn::Value;
    /// let v = Value::select(1, Value::split(":", Value::get_att("Ep", "Entry")));
    /// assert_eq!(
    ///     serde_json::to_string(&v).unwrap(),
    ///     r#"{"Fn::Select":[1,{"Fn::Split":[":",{"Fn::GetAtt":["Ep","Entry"]}]}]}"#
    /// );
    /// ```
    pub fn split(delimiter: impl Into<String>, source: Value) -> Value {
        Value::Split {
            delimiter: delimiter.into(),
            source: Box::new(source),
        }
    }

    /// `{"Fn::GetAZs": ""}`: the availability zones of the stack's region.
    ///
    /// An empty string rather than `{"Ref": "AWS::Region"}`: both mean the same to
    /// CloudFormation, and the empty form is the one every emulator evaluates correctly.
    ///
    /// ```
    /// let v = vpcform_cfn::Value::get_azs();
    /// assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"Fn::GetAZs":""}"#);
    /// ```
    pub fn get_azs() -> Value {
        Value::GetAzs(Box::new(Value::String(String::new())))
    }

    /// `{"Fn::ImportValue": export_name}`.
    ///
    /// ```
    /// let v = vpcform_cfn::Value::import_value("Provider-ServiceName");
    /// assert_eq!(
    ///     serde_json::to_string(&v).unwrap(),
    ///     r#"{"Fn::ImportValue":"Provider-ServiceName"}"#
    /// );
    /// ```
    pub fn import_value(export_name: impl Into<Value>) -> Value {
        Value::ImportValue(Box::new(export_name.into()))
    }

    /// The string inside, when this value is a plain string.
    ///
    /// ```
    /// assert_eq!(vpcform_cfn::Value::from("x").as_str(), Some("x"));
    /// ```
    pub fn as_str(&self) -> Option<&str> {
        match self.unscoped() {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// This value marked as belonging to the template of `scope` (see [`Value::Scoped`]); a
    /// value marked already keeps its first mark.
    ///
    /// ```
    /// use vpcform_cfn::{Scope, Value};
    /// let v = Value::get_att("Nlb", "DNSName").scoped(Scope::new(3));
    /// assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"Fn::GetAtt":["Nlb","DNSName"]}"#);
    /// ```
    pub fn scoped(self, scope: Scope) -> Value {
        match self {
            Value::Scoped { .. } => self,
            value => Value::Scoped {
                scope,
                value: Box::new(value),
            },
        }
    }

    /// The template this value is marked as belonging to, if any.
    ///
    /// ```
    /// use vpcform_cfn::{Scope, Value};
    /// assert_eq!(Value::reference("A").scope(), None);
    /// assert_eq!(Value::reference("A").scoped(Scope::new(2)).scope(), Some(Scope::new(2)));
    /// ```
    pub fn scope(&self) -> Option<Scope> {
        match self {
            Value::Scoped { scope, .. } => Some(*scope),
            _ => None,
        }
    }

    /// The value without its [`Value::Scoped`] mark.
    ///
    /// ```
    /// use vpcform_cfn::{Scope, Value};
    /// let v = Value::reference("A").scoped(Scope::new(2));
    /// assert!(matches!(v.unscoped(), Value::Ref(id) if id == "A"));
    /// ```
    pub fn unscoped(&self) -> &Value {
        match self {
            Value::Scoped { value, .. } => value.unscoped(),
            value => value,
        }
    }

    /// Calls `visit` on this value and on every value nested in it, depth first.
    ///
    /// ```
    /// use vpcform_cfn::Value;
    /// let v = Value::join("", [Value::reference("A"), Value::get_att("B", "Arn")]);
    /// let mut n = 0;
    /// v.walk(&mut |_| n += 1);
    /// assert_eq!(n, 3);
    /// ```
    pub fn walk<'a>(&'a self, visit: &mut dyn FnMut(&'a Value)) {
        visit(self);
        match self {
            Value::List(items) | Value::Join { values: items, .. } => {
                items.iter().for_each(|v| v.walk(visit))
            }
            Value::Map(map) | Value::Sub { variables: map, .. } => {
                map.values().for_each(|v| v.walk(visit))
            }
            Value::Select { list: inner, .. }
            | Value::Split { source: inner, .. }
            | Value::GetAzs(inner)
            | Value::ImportValue(inner)
            | Value::Scoped { value: inner, .. } => inner.walk(visit),
            Value::Null
            | Value::Bool(_)
            | Value::Int(_)
            | Value::String(_)
            | Value::Ref(_)
            | Value::GetAtt { .. } => {}
        }
    }

    /// Calls `visit` on this value and on every value nested in it, outermost first, for
    /// changing them in place (what a value becomes is not walked again).
    ///
    /// ```
    /// use vpcform_cfn::Value;
    /// let mut v = Value::join("", [Value::import_value("A-X"), Value::from("b")]);
    /// v.walk_mut(&mut |v| {
    ///     if matches!(v, Value::ImportValue(_)) {
    ///         *v = Value::reference("X");
    ///     }
    /// });
    /// assert_eq!(v, Value::join("", [Value::reference("X"), Value::from("b")]));
    /// ```
    pub fn walk_mut(&mut self, visit: &mut dyn FnMut(&mut Value)) {
        let before = std::mem::discriminant(self);
        visit(self);
        if std::mem::discriminant(self) != before {
            return;
        }
        match self {
            Value::List(items) | Value::Join { values: items, .. } => {
                items.iter_mut().for_each(|v| v.walk_mut(visit))
            }
            Value::Map(map) | Value::Sub { variables: map, .. } => {
                map.values_mut().for_each(|v| v.walk_mut(visit))
            }
            Value::Select { list: inner, .. }
            | Value::Split { source: inner, .. }
            | Value::GetAzs(inner)
            | Value::ImportValue(inner)
            | Value::Scoped { value: inner, .. } => inner.walk_mut(visit),
            Value::Null
            | Value::Bool(_)
            | Value::Int(_)
            | Value::String(_)
            | Value::Ref(_)
            | Value::GetAtt { .. } => {}
        }
    }

    /// The logical IDs and parameter names this value refers to, through `Ref`, `Fn::GetAtt`
    /// and `${Name}` / `${Name.Attribute}` placeholders of `Fn::Sub` (pseudo parameters excluded).
    ///
    /// ```
    /// use vpcform_cfn::Value;
    /// let v = Value::sub("${Svc}.${AWS::Region}.${Nlb.DNSName}");
    /// assert_eq!(v.references(), vec!["Svc".to_string(), "Nlb".to_string()]);
    /// ```
    pub fn references(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.walk(&mut |v| match v {
            Value::Ref(name) if !Pseudo::is_pseudo(name) => out.push(name.clone()),
            Value::GetAtt { logical_id, .. } => out.push(logical_id.clone()),
            Value::Sub {
                template,
                variables,
            } => {
                for name in sub_placeholders(template) {
                    let target = name.split('.').next().unwrap_or(name);
                    if !Pseudo::is_pseudo(target) && !variables.contains_key(target) {
                        out.push(target.to_string());
                    }
                }
            }
            _ => {}
        });
        out
    }

    /// The export names this value imports with `Fn::ImportValue`, when they are plain strings.
    ///
    /// ```
    /// use vpcform_cfn::Value;
    /// let v = Value::import_value("Provider-ServiceName");
    /// assert_eq!(v.imports(), vec!["Provider-ServiceName"]);
    /// ```
    pub fn imports(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.walk(&mut |v| {
            if let Value::ImportValue(name) = v
                && let Some(name) = name.as_str()
            {
                out.push(name);
            }
        });
        out
    }
}

/// The `${…}` placeholders of an `Fn::Sub` template, without `${!Literal}` escapes.
fn sub_placeholders(template: &str) -> impl Iterator<Item = &str> {
    template
        .split("${")
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .filter(|name| !name.starts_with('!'))
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Int(n)
    }
}

impl From<u16> for Value {
    fn from(n: u16) -> Self {
        Value::Int(i64::from(n))
    }
}

impl From<u32> for Value {
    fn from(n: u32) -> Self {
        Value::Int(i64::from(n))
    }
}

impl From<Pseudo> for Value {
    fn from(p: Pseudo) -> Self {
        Value::Ref(p.name().to_string())
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Self {
        Value::List(items.into_iter().map(Into::into).collect())
    }
}

impl From<serde_json::Value> for Value {
    /// Plain JSON (a policy document, say). Intrinsics written as JSON objects stay plain maps:
    /// build them with [`Value`]'s constructors to have them inspected.
    fn from(json: serde_json::Value) -> Self {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                // Non-integers are rare in templates; keep their exact text.
                None => Value::String(n.to_string()),
            },
            serde_json::Value::String(s) => Value::String(s),
            serde_json::Value::Array(items) => {
                Value::List(items.into_iter().map(Value::from).collect())
            }
            serde_json::Value::Object(map) => {
                Value::Map(map.into_iter().map(|(k, v)| (k, Value::from(v))).collect())
            }
        }
    }
}

/// Serializes a one-key map `{key: value}`.
fn single<S: Serializer, V: Serialize + ?Sized>(
    serializer: S,
    key: &str,
    value: &V,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(1))?;
    map.serialize_entry(key, value)?;
    map.end()
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Int(n) => serializer.serialize_i64(*n),
            Value::String(s) => serializer.serialize_str(s),
            Value::List(items) => items.serialize(serializer),
            Value::Map(map) => map.serialize(serializer),
            Value::Ref(name) => single(serializer, "Ref", name),
            Value::GetAtt {
                logical_id,
                attribute,
            } => single(serializer, "Fn::GetAtt", &[logical_id, attribute]),
            Value::Sub {
                template,
                variables,
            } if variables.is_empty() => single(serializer, "Fn::Sub", template),
            Value::Sub {
                template,
                variables,
            } => single(serializer, "Fn::Sub", &Pair(template, variables)),
            Value::Join { delimiter, values } => {
                single(serializer, "Fn::Join", &Pair(delimiter, values))
            }
            Value::Select { index, list } => single(serializer, "Fn::Select", &Pair(index, list)),
            Value::GetAzs(region) => single(serializer, "Fn::GetAZs", region),
            Value::Split { delimiter, source } => {
                single(serializer, "Fn::Split", &Pair(delimiter, source))
            }
            Value::ImportValue(name) => single(serializer, "Fn::ImportValue", name),
            Value::Scoped { value, .. } => value.serialize(serializer),
        }
    }
}

/// Equal as CloudFormation reads them: a [`Value::Scoped`] mark is not part of the value.
impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        use Value as V;
        match (self.unscoped(), other.unscoped()) {
            (V::Null, V::Null) => true,
            (V::Bool(a), V::Bool(b)) => a == b,
            (V::Int(a), V::Int(b)) => a == b,
            (V::String(a), V::String(b)) | (V::Ref(a), V::Ref(b)) => a == b,
            (V::List(a), V::List(b)) => a == b,
            (V::Map(a), V::Map(b)) => a == b,
            (
                V::GetAtt {
                    logical_id: a,
                    attribute: x,
                },
                V::GetAtt {
                    logical_id: b,
                    attribute: y,
                },
            ) => a == b && x == y,
            (
                V::Sub {
                    template: a,
                    variables: x,
                },
                V::Sub {
                    template: b,
                    variables: y,
                },
            ) => a == b && x == y,
            (
                V::Join {
                    delimiter: a,
                    values: x,
                },
                V::Join {
                    delimiter: b,
                    values: y,
                },
            ) => a == b && x == y,
            (V::Select { index: a, list: x }, V::Select { index: b, list: y }) => a == b && x == y,
            (
                V::Split {
                    delimiter: a,
                    source: x,
                },
                V::Split {
                    delimiter: b,
                    source: y,
                },
            ) => a == b && x == y,
            (V::GetAzs(a), V::GetAzs(b)) | (V::ImportValue(a), V::ImportValue(b)) => a == b,
            _ => false,
        }
    }
}

/// A two-item JSON array `[a, b]` of different types.
struct Pair<'a, A: ?Sized, B: ?Sized>(&'a A, &'a B);

impl<A: Serialize + ?Sized, B: Serialize + ?Sized> Serialize for Pair<'_, A, B> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(2))?;
        seq.serialize_element(self.0)?;
        seq.serialize_element(self.1)?;
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(v: &Value) -> String {
        serde_json::to_string(v).unwrap_or_default()
    }

    #[test]
    fn a_scope_mark_is_invisible_in_json_equality_and_references_but_found_by_walks() {
        let one = Scope::new(1);
        let marked = Value::join(
            ",",
            [
                Value::reference("Vpc").scoped(one),
                Value::sub("${Nlb.DNSName}").scoped(one),
            ],
        );
        let plain = Value::join(",", [Value::reference("Vpc"), Value::sub("${Nlb.DNSName}")]);
        assert_eq!(json(&marked), json(&plain));
        assert_eq!(marked, plain);
        assert_ne!(marked, Value::join(",", [Value::reference("Other")]));
        assert_eq!(marked.references(), ["Vpc", "Nlb"]);
        let mut scopes = Vec::new();
        marked.walk(&mut |v| scopes.extend(v.scope()));
        assert_eq!(scopes, [one, one]);
        // A second mark does not replace the first.
        let twice = Value::reference("Vpc").scoped(one).scoped(Scope::new(2));
        assert_eq!(twice.scope(), Some(one));
        assert_eq!(twice.unscoped(), &Value::Ref("Vpc".into()));
        assert_eq!(Value::from("x").scoped(one).as_str(), Some("x"));
    }

    #[test]
    fn each_intrinsic_serializes_as_cloudformation_expects() {
        assert_eq!(json(&Value::reference("Vpc")), r#"{"Ref":"Vpc"}"#);
        assert_eq!(
            json(&Value::get_att("Vpc", "CidrBlock")),
            r#"{"Fn::GetAtt":["Vpc","CidrBlock"]}"#
        );
        assert_eq!(
            json(&Value::sub("a-${AWS::Region}")),
            r#"{"Fn::Sub":"a-${AWS::Region}"}"#
        );
        assert_eq!(
            json(&Value::sub_with("${X}", [("X", Value::from(1i64))])),
            r#"{"Fn::Sub":["${X}",{"X":1}]}"#
        );
        assert_eq!(
            json(&Value::join("-", ["a".into(), "b".into()])),
            r#"{"Fn::Join":["-",["a","b"]]}"#
        );
        assert_eq!(
            json(&Value::select(0, Value::get_azs())),
            r#"{"Fn::Select":[0,{"Fn::GetAZs":""}]}"#
        );
        assert_eq!(
            json(&Value::import_value("E")),
            r#"{"Fn::ImportValue":"E"}"#
        );
        for (pseudo, name) in [
            (Pseudo::AccountId, "AWS::AccountId"),
            (Pseudo::Region, "AWS::Region"),
            (Pseudo::StackName, "AWS::StackName"),
            (Pseudo::StackId, "AWS::StackId"),
            (Pseudo::Partition, "AWS::Partition"),
            (Pseudo::UrlSuffix, "AWS::URLSuffix"),
            (Pseudo::NoValue, "AWS::NoValue"),
        ] {
            assert_eq!(json(&pseudo.into()), format!(r#"{{"Ref":"{name}"}}"#));
        }
        assert_eq!(json(&Value::from(vec!["a", "b"])), r#"["a","b"]"#);
        assert_eq!(json(&Value::Null), "null");
        assert_eq!(
            json(&Value::from(serde_json::json!({"k": [1, true]}))),
            r#"{"k":[1,true]}"#
        );
    }

    #[test]
    fn references_cover_ref_getatt_and_sub_but_not_pseudo_or_sub_variables() {
        let v = Value::join(
            "",
            [
                Value::reference("A"),
                Value::get_att("B", "Arn"),
                Value::reference("AWS::Region"),
                Value::sub_with(
                    "${C}${D.Attr}${Var}${!Literal}",
                    [("Var", Value::from("x"))],
                ),
            ],
        );
        assert_eq!(v.references(), ["A", "B", "C", "D"]);
    }
}

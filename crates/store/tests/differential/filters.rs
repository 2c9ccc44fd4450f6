//! A seeded generator of `$filter` texts over a real property table: comparisons of every operator
//! on every primitive type, `in`, string and date functions, `not`/`and`/`or`, `eq null`/`ne null`,
//! lambdas (nested, with type casts) and dictionary paths. This file walks the property table down
//! to a value; `leaves.rs` writes the condition on it. Literals come mostly from the seeded
//! documents (see [`Pool`]), so that most filters match something.

use crate::leaves::{quote, ODD_STRINGS};
use crate::pool::{join, Pool};
use odata::schema::{ComplexType, EntitySchema, PropType, Property};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

/// Dictionary keys that no document has.
const MISSING_KEYS: &[&str] = &["missing", "Score", "SCORE", "x"];

/// Where a path is written from: the entity, or a lambda variable.
struct Scope {
    /// The lambda variable (`x1`), or `None` at the entity root.
    var: Option<String>,
    /// The pool path of what the scope ranges over (`evidence/*`; empty at the root).
    pool: String,
    /// What the scope's value is.
    shape: Shape,
    /// Lambda nesting depth.
    level: usize,
}

/// What a scope ranges over.
#[derive(Clone, Copy)]
enum Shape {
    Entity(&'static EntitySchema),
    Complex(&'static ComplexType),
    Primitive(&'static PropType),
}

/// A property reachable from a scope, with the text that names it.
struct Named {
    /// The written path segment(s), with a type cast when it came from a derived type.
    text: String,
    /// The pool path segment (no type cast: documents do not nest by type).
    name: &'static str,
    ty: &'static PropType,
}

/// Generates filters from a seeded RNG.
pub struct FilterGen<'a> {
    pub rng: ChaCha8Rng,
    pub pool: &'a Pool,
}

impl<'a> FilterGen<'a> {
    /// A generator drawing values from `pool`.
    pub fn new(rng: ChaCha8Rng, pool: &'a Pool) -> Self {
        FilterGen { rng, pool }
    }

    /// One filter over `schema`.
    pub fn filter(&mut self, schema: &'static EntitySchema) -> String {
        let root = Scope {
            var: None,
            pool: String::new(),
            shape: Shape::Entity(schema),
            level: 0,
        };
        let depth = self.rng.gen_range(0..=3);
        self.pred(&root, depth)
    }

    fn pred(&mut self, s: &Scope, depth: u32) -> String {
        let r = self.rng.gen_range(0..100);
        if depth == 0 || r >= 40 {
            return self.atom(s, depth);
        }
        let a = self.pred(s, depth - 1);
        match r {
            0..=17 => format!("({a}) and ({})", self.pred(s, depth - 1)),
            18..=31 => format!("({a}) or ({})", self.pred(s, depth - 1)),
            _ => format!("not ({a})"),
        }
    }

    fn atom(&mut self, s: &Scope, depth: u32) -> String {
        let path = |p: &str| s.var.as_ref().map_or(p.to_owned(), |v| join(v, p));
        match s.shape {
            Shape::Primitive(ty) => {
                let var = s.var.clone().unwrap_or_default();
                self.leaf(ty, &var, &s.pool)
            }
            Shape::Entity(_) | Shape::Complex(_) => {
                let props = self.properties(s);
                if self.rng.gen_bool(0.06) {
                    if let Some(cmp) = self.two_paths(&props, &path) {
                        return cmp;
                    }
                }
                let prop = self.pick_property(&props, &s.pool);
                let pool = join(&s.pool, prop.name);
                self.property(s, &path(&prop.text), &pool, prop.ty, depth)
            }
        }
    }

    /// Every property of the scope's type, those of derived types behind a type cast (or, as
    /// the binder also allows, without one).
    fn properties(&mut self, s: &Scope) -> Vec<Named> {
        let named = |p: &'static Property, cast: Option<&str>| Named {
            text: cast.map_or(p.name.to_owned(), |c| format!("{c}/{}", p.name)),
            name: p.name,
            ty: &p.ty,
        };
        match s.shape {
            Shape::Entity(e) => e.properties.iter().map(|p| named(p, None)).collect(),
            Shape::Complex(c) => {
                let mut out: Vec<Named> = c.properties.iter().map(|p| named(p, None)).collect();
                for d in c.derived {
                    let cast = self.rng.gen_bool(0.5).then_some(d.name);
                    out.extend(d.properties.iter().map(|p| named(p, cast)));
                }
                out
            }
            Shape::Primitive(_) => Vec::new(),
        }
    }

    /// Mostly a property that holds data somewhere.
    fn pick_property<'n>(&mut self, props: &'n [Named], pool: &str) -> &'n Named {
        let populated: Vec<&Named> = props
            .iter()
            .filter(|p| self.pool.populated(&join(pool, p.name)))
            .collect();
        if !populated.is_empty() && self.rng.gen_bool(0.85) {
            populated[self.rng.gen_range(0..populated.len())]
        } else {
            &props[self.rng.gen_range(0..props.len())]
        }
    }

    /// `a op b` for two properties of one primitive type.
    fn two_paths(&mut self, props: &[Named], path: &dyn Fn(&str) -> String) -> Option<String> {
        let a = &props[self.rng.gen_range(0..props.len())];
        let same: Vec<&Named> = props
            .iter()
            .filter(|b| b.name != a.name && same_type(a.ty, b.ty))
            .collect();
        let b = same.choose(&mut self.rng)?;
        let op = if matches!(a.ty, PropType::Boolean | PropType::Guid) {
            *["eq", "ne"].choose(&mut self.rng)?
        } else {
            self.op()
        };
        Some(format!("{} {op} {}", path(&a.text), path(&b.text)))
    }

    fn property(
        &mut self,
        s: &Scope,
        path: &str,
        pool: &str,
        ty: &'static PropType,
        depth: u32,
    ) -> String {
        match ty {
            PropType::Complex(c) => {
                let inner = Scope {
                    var: None,
                    pool: pool.to_owned(),
                    shape: Shape::Complex(c),
                    level: s.level,
                };
                let props = self.properties(&inner);
                let prop = self.pick_property(&props, pool);
                let child_pool = join(pool, prop.name);
                self.property(s, &join(path, &prop.text), &child_pool, prop.ty, depth)
            }
            PropType::Collection(inner) => self.lambda(s, path, pool, inner, depth),
            PropType::Dictionary => self.dictionary(path, pool),
            prim => self.leaf(prim, path, pool),
        }
    }

    fn lambda(
        &mut self,
        s: &Scope,
        path: &str,
        pool: &str,
        inner: &'static PropType,
        depth: u32,
    ) -> String {
        let level = s.level + 1;
        let r = self.rng.gen_range(0..100);
        if level > 3 || r < 10 {
            return format!("{path}/any()");
        }
        let var = format!("x{level}");
        let scope = Scope {
            var: Some(var.clone()),
            pool: join(pool, "*"),
            shape: match inner {
                PropType::Complex(c) => Shape::Complex(c),
                other => Shape::Primitive(other),
            },
            level,
        };
        let body = self.pred(&scope, depth.min(2));
        let which = if r < 65 { "any" } else { "all" };
        format!("{path}/{which}({var}: {body})")
    }

    /// A path below an open dictionary: a key the documents have (or not), then a comparison
    /// with a value of the type found there, or of another type.
    fn dictionary(&mut self, path: &str, pool: &str) -> String {
        let keys = self.pool.keys(pool);
        let key = match keys.choose(&mut self.rng) {
            Some(k) if self.rng.gen_bool(0.9) => (*k).to_owned(),
            _ => (*MISSING_KEYS.choose(&mut self.rng).unwrap_or(&"x")).to_owned(),
        };
        let (path, pool) = (join(path, &key), join(pool, &key));
        if !self.pool.keys(&pool).is_empty() && self.rng.gen_bool(0.6) {
            return self.dictionary(&path, &pool);
        }
        let mut values = self.pool.values(&pool).to_vec();
        values.extend_from_slice(self.pool.values(&join(&pool, "*")));
        let v = values.choose(&mut self.rng).cloned().unwrap_or(Value::Null);
        let r = self.rng.gen_range(0..100);
        let lit = match (&v, r) {
            (_, 0..=9) => "null".to_owned(),
            (_, 10..=24) => self.any_literal(&values),
            (Value::String(s), _) if r < 45 => {
                let needle = self.substring(s);
                return self.text_match(&path, &needle);
            }
            (Value::String(s), _) => quote(&self.mutate_case(s)),
            (Value::Number(n), _) => n.to_string(),
            (Value::Bool(b), _) => b.to_string(),
            _ => self.any_literal(&values),
        };
        let op = if lit == "null" || lit == "true" || lit == "false" {
            *["eq", "ne"].choose(&mut self.rng).unwrap_or(&"eq")
        } else {
            self.op()
        };
        self.maybe_mirror(&path, op, &lit)
    }

    /// A literal of a random type (what a client comparing the wrong type would send).
    fn any_literal(&mut self, values: &[Value]) -> String {
        match self.rng.gen_range(0..6) {
            0 => self.rng.gen_range(-2..200).to_string(),
            1 => format!("{}.5", self.rng.gen_range(-2..20)),
            2 => ["true", "false"]
                .choose(&mut self.rng)
                .unwrap_or(&"true")
                .to_string(),
            3 => quote(ODD_STRINGS.choose(&mut self.rng).unwrap_or(&"")),
            _ => match values.choose(&mut self.rng) {
                Some(Value::String(s)) => quote(s),
                Some(Value::Number(n)) => quote(&n.to_string()),
                Some(other) => quote(&other.to_string()),
                None => quote("7"),
            },
        }
    }
}

fn same_type(a: &PropType, b: &PropType) -> bool {
    match (a, b) {
        (PropType::Enum(x), PropType::Enum(y)) => std::ptr::eq(*x, *y),
        (PropType::String, PropType::String)
        | (PropType::Boolean, PropType::Boolean)
        | (PropType::DateTimeOffset, PropType::DateTimeOffset)
        | (PropType::Guid, PropType::Guid) => true,
        (
            PropType::Int32 | PropType::Int64 | PropType::Double,
            PropType::Int32 | PropType::Int64 | PropType::Double,
        ) => true,
        _ => false,
    }
}

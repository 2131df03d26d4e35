//! Export of a catalog to CSV and JSON.
//!
//! CSV follows RFC 4180: comma-separated, a header row, fields that contain a comma, a
//! quote or a line break are quoted with inner quotes doubled, and lines end in CRLF.
//! Timestamps are Unix seconds. Interactions name products and users by id.

use serde::Serialize;

use crate::catalog::{Catalog, InteractionKind, Product, Timestamp, User};

/// Products as CSV: `product_id,name,category,brand,price,description`.
pub fn products_csv(catalog: &Catalog) -> String {
    let mut out = String::from("product_id,name,category,brand,price,description\r\n");
    for p in catalog.products() {
        let price = p.price.to_string();
        push_row(
            &mut out,
            &[
                &p.id,
                &p.name,
                &p.category,
                &p.brand,
                &price,
                &p.description,
            ],
        );
    }
    out
}

/// Users as CSV: `user_id,age_band,region` (empty fields when unknown).
pub fn users_csv(catalog: &Catalog) -> String {
    let mut out = String::from("user_id,age_band,region\r\n");
    for u in catalog.users() {
        push_row(
            &mut out,
            &[
                &u.id,
                u.age_band.as_deref().unwrap_or(""),
                u.region.as_deref().unwrap_or(""),
            ],
        );
    }
    out
}

/// Interactions as CSV: `user_id,product_id,event_type,value,timestamp`, oldest first.
pub fn interactions_csv(catalog: &Catalog) -> String {
    let mut out = String::from("user_id,product_id,event_type,value,timestamp\r\n");
    for e in catalog.interactions() {
        let value = e.value.map(|v| v.to_string()).unwrap_or_default();
        let timestamp = e.timestamp.to_string();
        push_row(
            &mut out,
            &[
                &catalog.users()[e.user as usize].id,
                &catalog.products()[e.product as usize].id,
                e.kind.as_str(),
                &value,
                &timestamp,
            ],
        );
    }
    out
}

/// An interaction as exported to JSON.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InteractionRecord<'a> {
    user_id: &'a str,
    product_id: &'a str,
    #[serde(rename = "type")]
    kind: InteractionKind,
    value: Option<f32>,
    timestamp: Timestamp,
}

/// A product as exported to JSON.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProductRecord<'a> {
    product_id: &'a str,
    name: &'a str,
    category: &'a str,
    brand: &'a str,
    price: f64,
    description: &'a str,
}

/// A user as exported to JSON.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UserRecord<'a> {
    user_id: &'a str,
    age_band: Option<&'a str>,
    region: Option<&'a str>,
}

/// Returns the whole catalog as one JSON document `{"products": [...], "users": [...],
/// "interactions": [...]}` in the record shape that `loader::load_records` (and
/// `Recommender.fromData`) reads back; timestamps are Unix seconds.
pub fn catalog_json(catalog: &Catalog) -> String {
    #[derive(Serialize)]
    struct Document<'a> {
        products: Vec<ProductRecord<'a>>,
        users: Vec<UserRecord<'a>>,
        interactions: Vec<InteractionRecord<'a>>,
    }
    let interactions = catalog
        .interactions()
        .iter()
        .map(|e| InteractionRecord {
            user_id: &catalog.users()[e.user as usize].id,
            product_id: &catalog.products()[e.product as usize].id,
            kind: e.kind,
            value: e.value,
            timestamp: e.timestamp,
        })
        .collect();
    let products = catalog
        .products()
        .iter()
        .map(|p: &Product| ProductRecord {
            product_id: &p.id,
            name: &p.name,
            category: &p.category,
            brand: &p.brand,
            price: p.price,
            description: &p.description,
        })
        .collect();
    let users = catalog
        .users()
        .iter()
        .map(|u: &User| UserRecord {
            user_id: &u.id,
            age_band: u.age_band.as_deref(),
            region: u.region.as_deref(),
        })
        .collect();
    let document = Document {
        products,
        users,
        interactions,
    };
    // Serializing plain strings, numbers and options cannot fail.
    serde_json::to_string(&document).unwrap_or_default()
}

fn push_row(out: &mut String, fields: &[&str]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if field.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Interaction;

    fn catalog() -> Catalog {
        let product = Product {
            id: "p1".into(),
            name: "Mug, \"Large\"".into(),
            category: "Home".into(),
            brand: "Acme".into(),
            price: 9.5,
            description: "Two\nlines".into(),
        };
        let user = User {
            id: "u1".into(),
            age_band: Some("25-34".into()),
            region: None,
        };
        let event = Interaction {
            user: 0,
            product: 0,
            kind: InteractionKind::Rating,
            value: Some(4.0),
            timestamp: 100,
        };
        Catalog::new(vec![product], vec![user], vec![event]).unwrap()
    }

    #[test]
    fn csv_quotes_special_fields() {
        let csv = products_csv(&catalog());
        assert_eq!(csv, "product_id,name,category,brand,price,description\r\np1,\"Mug, \"\"Large\"\"\",Home,Acme,9.5,\"Two\nlines\"\r\n");
        assert_eq!(
            users_csv(&catalog()),
            "user_id,age_band,region\r\nu1,25-34,\r\n"
        );
        assert_eq!(
            interactions_csv(&catalog()),
            "user_id,product_id,event_type,value,timestamp\r\nu1,p1,rating,4,100\r\n"
        );
    }

    #[test]
    fn json_export_loads_back_as_records() {
        let text = catalog_json(&catalog());
        let input: crate::loader::RecordInput = serde_json::from_str(&text).unwrap();
        let (loaded, report) = crate::loader::load_records(&input, &Default::default()).unwrap();
        assert_eq!(report.interactions, 1);
        assert_eq!(loaded.products(), catalog().products());
        assert_eq!(loaded.users(), catalog().users());
        assert_eq!(loaded.interactions(), catalog().interactions());
    }

    #[test]
    fn json_round_trips_through_serde() {
        let json: serde_json::Value = serde_json::from_str(&catalog_json(&catalog())).unwrap();
        assert_eq!(json["products"][0]["name"], "Mug, \"Large\"");
        assert_eq!(json["products"][0]["productId"], "p1");
        assert_eq!(json["users"][0]["userId"], "u1");
        assert_eq!(json["users"][0]["ageBand"], "25-34");
        assert_eq!(json["users"][0]["region"], serde_json::Value::Null);
        assert_eq!(json["interactions"][0]["type"], "rating");
        assert_eq!(json["interactions"][0]["userId"], "u1");
        assert_eq!(json["interactions"][0]["timestamp"], 100);
    }
}

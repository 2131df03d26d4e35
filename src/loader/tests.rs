//! Loader tests on small hand-written files; `tests/real_datasets.rs` loads the real ones.

use super::*;

fn load(
    products: Option<&str>,
    interactions: &str,
    options: &LoadOptions,
) -> Result<(Catalog, LoadReport)> {
    load_csv(
        CsvInput {
            products,
            interactions,
            users: None,
        },
        options,
    )
}

#[test]
fn events_with_product_columns_build_the_catalog() {
    let events = "event_time,event_type,product_id,category_code,brand,price,user_id\n\
                  2019-10-01 00:00:00 UTC,view,p1,electronics.phone,acme,10.5,u1\n\
                  2019-10-01 00:01:00 UTC,addtocart,p1,electronics.phone,acme,10.5,u1\n\
                  2019-10-01 00:02:00 UTC,transaction,p2,,,3,u2\n";
    let (catalog, report) = load(None, events, &LoadOptions::default()).unwrap();
    assert_eq!(report.products, 2);
    assert_eq!(report.users, 2);
    assert_eq!(report.interactions, 3);
    let kinds: Vec<InteractionKind> = catalog.interactions().iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            InteractionKind::View,
            InteractionKind::Cart,
            InteractionKind::Purchase
        ]
    );
    let p1 = &catalog.products()[0];
    assert_eq!(
        (p1.category.as_str(), p1.brand.as_str(), p1.price),
        ("electronics.phone", "acme", 10.5)
    );
    assert_eq!(
        p1.name, "p1",
        "without name or description the id names the product"
    );
    assert_eq!(catalog.interactions()[0].timestamp, 1_569_888_000);
}

#[test]
fn mapped_columns_cancellations_and_exclusions() {
    let products =
        "StockCode,Description,UnitPriceMedian\n85123A,WHITE HEART HOLDER,2.95\nPOST,POSTAGE,18\n";
    let orders = "InvoiceNo,StockCode,Quantity,InvoiceDate,CustomerID\n\
                  536365,85123A,6,2010-12-01 08:26:00,17850\n\
                  C536379,85123A,-1,2010-12-01 09:41:00,17850\n\
                  536366,POST,1,2010-12-01 08:28:00,17850\n\
                  536367,99999,1,2010-12-01 08:34:00,13047\n";
    let options = LoadOptions {
        columns: HashMap::from([("userId".to_string(), "CustomerID".to_string())]),
        default_type: Some(InteractionKind::Purchase),
        exclude_product_ids: vec!["POST".to_string(), "gift_0001_*".to_string()],
        ..LoadOptions::default()
    };
    let (catalog, report) = load(Some(products), orders, &options).unwrap();
    assert_eq!(report.interactions, 1);
    assert_eq!(report.products, 1);
    assert_eq!(
        report.skipped,
        SkippedRows {
            unknown_products: 1,
            cancellations: 1,
            excluded_products: 1,
            skipped_event_types: 0
        }
    );
    assert_eq!(catalog.products()[0].name, "WHITE HEART HOLDER");
    assert_eq!(catalog.products()[0].description, "WHITE HEART HOLDER");
    assert_eq!(catalog.users()[0].id, "17850");
}

#[test]
fn headerless_ratings_with_column_numbers() {
    let ratings = "196\t242\t3\t881250949\n186\t302\t5\t891717742\n";
    let options = LoadOptions {
        has_header: false,
        delimiter: '\t',
        default_type: Some(InteractionKind::Rating),
        columns: HashMap::from([
            ("userId".into(), "1".into()),
            ("productId".into(), "2".into()),
            ("value".into(), "3".into()),
            ("timestamp".into(), "4".into()),
        ]),
        ..LoadOptions::default()
    };
    let (catalog, _) = load(None, ratings, &options).unwrap();
    let values: Vec<Option<f32>> = catalog.interactions().iter().map(|e| e.value).collect();
    assert_eq!(values, vec![Some(3.0), Some(5.0)]);
}

#[test]
fn errors_name_file_line_and_column() {
    let header = "user_id,product_id,event_type,timestamp,price\n";
    let cases = [
        (format!("{header}u1,p1,view,2019-13-01,1\n"), "interactions line 2, column \"timestamp\": unparsable date \"2019-13-01\", expected ISO-8601 or Unix seconds or milliseconds"),
        (format!("{header}u1,p1,wishlist,2019-10-01,1\n"), "interactions line 2, column \"event_type\": unknown event type \"wishlist\": map it with eventTypes, e.g. {\"wishlist\": \"view\"} or \"skip\""),
        (format!("{header}u1,p1,view,2019-10-01,abc\n"), "interactions line 2, column \"price\": unparsable number \"abc\""),
        (format!("{header}u1,p1,view,2019-10-01,-3\n"), "interactions line 2, column \"price\": negative price -3, expected 0 or more"),
        (format!("{header},p1,view,2019-10-01,1\n"), "interactions line 2, column \"user_id\": missing userId"),
        (header.to_string(), "interactions: no interaction rows after the header"),
        (String::new(), "interactions: empty file: no interaction rows"),
        ("who,what,when\nu1,p1,2019-10-01\n".to_string(), "interactions: missing column for userId: the header has none of user_id, userid, visitorid, visitor_id, customer_id, customerid, user, customer; map it with columns.userId"),
    ];
    for (text, expected) in cases {
        let err = load(None, &text, &LoadOptions::default()).unwrap_err();
        assert_eq!(err.to_string(), expected);
    }
}

#[test]
fn duplicate_product_and_unknown_product_policy() {
    let products = "product_id,name\np1,A\np1,B\n";
    let err = load(
        Some(products),
        "user_id,product_id,timestamp,event\nu,p1,1,view\n",
        &LoadOptions::default(),
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "products line 3, column \"product_id\": duplicate product id \"p1\": each product id must be unique");

    let options = LoadOptions {
        unknown_products: UnknownProductPolicy::Error,
        ..LoadOptions::default()
    };
    let err = load(
        Some("product_id,name\np1,A\n"),
        "user_id,product_id,timestamp,event\nu,p2,1,view\n",
        &options,
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "interactions line 2, column \"product_id\": unknown product id \"p2\": not in the products file");
}

#[test]
fn event_map_can_skip_and_mapping_errors_are_clear() {
    let events = "user_id,product_id,timestamp,event\nu,p1,1,view\nu,p1,2,remove_from_cart\n";
    let options = LoadOptions {
        event_types: HashMap::from([("remove_from_cart".into(), "skip".into())]),
        ..LoadOptions::default()
    };
    let (_, report) = load(None, events, &options).unwrap();
    assert_eq!(report.skipped.skipped_event_types, 1);
    assert_eq!(report.interactions, 1);

    let options = LoadOptions {
        columns: HashMap::from([("userId".into(), "visitor".into())]),
        ..LoadOptions::default()
    };
    let err = load(
        None,
        "who,product_id,timestamp,event\nu,p1,1,view\n",
        &options,
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "interactions: missing column \"visitor\" for userId (columns.userId); the header is who, product_id, timestamp, event");
}

#[test]
fn users_file_adds_demographics() {
    let users = "user_id,age,country\nu1,25-34,UK\n";
    let (catalog, _) = load_csv(
        CsvInput {
            products: None,
            interactions: "user_id,product_id,timestamp,event\nu1,p1,1,view\nu2,p1,2,view\n",
            users: Some(users),
        },
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(catalog.users()[0].age_band.as_deref(), Some("25-34"));
    assert_eq!(catalog.users()[0].region.as_deref(), Some("UK"));
    assert_eq!(catalog.users()[1].age_band, None);
}

#[test]
fn records_load_like_csv() {
    let input: RecordInput = serde_json::from_value(serde_json::json!({
        "products": [{"productId": "p1", "name": "Mug", "price": 4.5}, {"productId": "p2", "name": "Cup"}],
        "interactions": [
            {"userId": "u1", "productId": "p1", "type": "view", "timestamp": 1_700_000_000_000.0},
            {"userId": "u1", "productId": "p2", "type": "rating", "value": 4, "timestamp": "2023-11-14T22:13:20Z"},
            {"userId": "u2", "productId": "p9", "type": "view", "timestamp": 1_700_000_000}
        ]
    }))
    .unwrap();
    let (catalog, report) = load_records(&input, &LoadOptions::default()).unwrap();
    assert_eq!(report.interactions, 2);
    assert_eq!(report.skipped.unknown_products, 1);
    assert_eq!(catalog.products()[0].price, 4.5);
    let times: Vec<i64> = catalog.interactions().iter().map(|e| e.timestamp).collect();
    assert_eq!(
        times,
        vec![1_700_000_000, 1_700_000_000],
        "milliseconds and ISO both read"
    );

    let bad: RecordInput = serde_json::from_value(serde_json::json!({
        "interactions": [{"userId": "u1", "productId": "p1", "type": "view", "timestamp": "soon"}]
    }))
    .unwrap();
    let err = load_records(&bad, &LoadOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "interactions line 1, column \"timestamp\": unparsable date \"soon\", expected ISO-8601 or Unix seconds or milliseconds"
    );
}

#[test]
fn records_reject_unknown_and_missing_fields() {
    let typo: RecordInput = serde_json::from_value(serde_json::json!({
        "interactions": [{"userid": "u1", "productId": "p1", "type": "view", "timestamp": 1}]
    }))
    .unwrap();
    let err = load_records(&typo, &LoadOptions::default()).unwrap_err();
    assert!(err.to_string().starts_with("interactions line 1, column \"userid\": unknown field \"userid\", expected one of userId, productId"), "{err}");

    let missing: RecordInput = serde_json::from_value(serde_json::json!({
        "interactions": [{"productId": "p1", "type": "view", "timestamp": 1}]
    }))
    .unwrap();
    let err = load_records(&missing, &LoadOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "interactions: missing field userId: no record has it"
    );
}

#[test]
fn empty_record_arrays_are_named() {
    let no_products: RecordInput = serde_json::from_value(serde_json::json!({
        "products": [],
        "interactions": [{"userId": "u1", "productId": "p1", "type": "view", "timestamp": 1}]
    }))
    .unwrap();
    let err = load_records(&no_products, &LoadOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "products: no product records: the array is empty"
    );

    let no_interactions: RecordInput =
        serde_json::from_value(serde_json::json!({ "interactions": [] })).unwrap();
    let err = load_records(&no_interactions, &LoadOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "interactions: no interaction records: the array is empty"
    );
}

#[test]
fn empty_products_file_is_rejected() {
    let err = load(
        Some("product_id,name\n"),
        "user_id,product_id,timestamp\nu1,p1,1\n",
        &LoadOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "products: no product rows after the header"
    );
}

#[test]
fn all_skipped_rows_are_counted_in_words() {
    let products = "product_id,name\np1,A\n";
    let events = "user_id,product_id,event_type,timestamp,quantity\n\
                  u1,p9,view,1,1\n\
                  u1,p8,view,2,1\n\
                  u1,p1,view,3,-1\n";
    let options = LoadOptions {
        drop_cancellations: true,
        ..LoadOptions::default()
    };
    let err = load(Some(products), events, &options).unwrap_err();
    assert_eq!(
        err.to_string(),
        "interactions: no usable interaction: every row was skipped \
         (2 for unknown products, 1 cancellation)"
    );
}

#[test]
fn misspelt_column_mappings_rejected() {
    let events = "user_id,product_id,timestamp\nu1,p1,1\n";
    let cases = [
        (
            LoadOptions {
                columns: HashMap::from([("user".to_string(), "user_id".to_string())]),
                ..LoadOptions::default()
            },
            "invalid columns: unknown field \"user\", expected one of userId, productId, type, \
             timestamp, value, quantity, name, category, brand, price, description, ageBand, region",
        ),
        (
            LoadOptions {
                product_columns: HashMap::from([("userId".to_string(), "a".to_string())]),
                ..LoadOptions::default()
            },
            "invalid productColumns: unknown field \"userId\", expected one of productId, name, \
             category, brand, price, description",
        ),
        (
            LoadOptions {
                user_columns: HashMap::from([("age".to_string(), "a".to_string())]),
                ..LoadOptions::default()
            },
            "invalid userColumns: unknown field \"age\", expected one of userId, ageBand, region",
        ),
    ];
    for (options, expected) in cases {
        assert_eq!(
            load(None, events, &options).unwrap_err().to_string(),
            expected
        );
    }
}

#[test]
fn unusable_delimiters_rejected() {
    let events = "user_id,product_id,timestamp\nu1,p1,1\n";
    for (delimiter, shown) in [('"', "'\"'"), ('\n', "'\\n'"), ('\u{1F916}', "'\u{1F916}'")] {
        let options = LoadOptions {
            delimiter,
            ..LoadOptions::default()
        };
        assert_eq!(
            load(None, events, &options).unwrap_err().to_string(),
            format!(
                "invalid delimiter: {shown}, expected a single ASCII character other than a \
                 double quote or a line break"
            )
        );
    }
    let options = LoadOptions {
        product_delimiter: Some('\r'),
        ..LoadOptions::default()
    };
    assert!(load(None, events, &options)
        .unwrap_err()
        .to_string()
        .starts_with("invalid productDelimiter: '\\r'"));
}

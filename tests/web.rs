//! Tests of the JS API in a real browser: `wasm-pack test --headless --chrome`.
//!
//! Each test drives the exported `Recommender` class through `JsValue`s, the way
//! JavaScript does, and reads the results back as JSON.

#![cfg(target_arch = "wasm32")]

use hybrid_recommender::wasm::WasmRecommender;
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn js(value: Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).expect("test JSON parses")
}

fn rust(value: JsValue) -> Value {
    serde_wasm_bindgen::from_value(value).expect("result converts to JSON")
}

/// The message of a JS `Error` returned by a method.
fn message<T>(result: Result<T, wasm_bindgen::JsError>) -> String {
    let error = match result {
        Ok(_) => panic!("expected an error"),
        Err(e) => JsValue::from(e),
    };
    error
        .dyn_into::<js_sys::Error>()
        .expect("a JS Error")
        .message()
        .into()
}

fn trained() -> WasmRecommender {
    let mut rec = WasmRecommender::synthetic(js(
        json!({"users": 300, "products": 200, "days": 30, "seed": 3}),
    ))
    .unwrap();
    rec.train(js(json!({"factors": 16, "iterations": 5})), None)
        .unwrap();
    rec
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|r| r["productId"].as_str().unwrap().to_string())
        .collect()
}

#[wasm_bindgen_test]
fn train_reports_stages_and_loss() {
    let mut rec =
        WasmRecommender::synthetic(js(json!({"users": 200, "products": 100, "days": 20}))).unwrap();
    let calls = js_sys::Array::new();
    let calls_in_callback = calls.clone();
    let callback = wasm_bindgen::closure::Closure::<dyn FnMut(JsValue)>::new(move |p: JsValue| {
        calls_in_callback.push(&p);
    });
    let report = rust(
        rec.train(
            js(json!({"iterations": 4, "factors": 8})),
            Some(callback.as_ref().clone().into()),
        )
        .unwrap(),
    );
    assert_eq!(report["loss"].as_array().unwrap().len(), 4);
    assert_eq!(report["products"], 100);
    assert_eq!(report["users"], 200);
    for stage in ["confidence", "collaborative", "content", "popularity"] {
        assert!(
            report["stageMillis"][stage].as_f64().unwrap() >= 0.0,
            "{stage}"
        );
    }
    let events: Vec<Value> = calls.iter().map(rust).collect();
    let iterations: Vec<u64> = events
        .iter()
        .filter_map(|e| e["iteration"].as_u64())
        .collect();
    assert_eq!(iterations, vec![1, 2, 3, 4]);
    assert!(events.iter().any(|e| e["stage"] == "content"));
}

#[wasm_bindgen_test]
fn recommend_returns_k_items_with_reasons() {
    let rec = trained();
    let users = rust(rec.users().unwrap());
    let active = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["interactions"].as_u64().unwrap() >= 10)
        .unwrap();
    let list = rust(
        rec.recommend(js(json!({"userId": active["userId"], "k": 7})))
            .unwrap(),
    );
    let items = list.as_array().unwrap();
    assert_eq!(items.len(), 7);
    let mut distinct = ids(&list);
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 7);
    for item in items {
        assert!(!item["reason"].as_str().unwrap().is_empty());
        assert!(
            item["name"].is_string() && item["category"].is_string() && item["brand"].is_string()
        );
        let score = item["score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&score));
        for part in ["collaborative", "content", "popularity"] {
            assert!(
                (0.0..=1.0).contains(&item["components"][part].as_f64().unwrap()),
                "{part}"
            );
        }
    }
    // Scores are sorted best first.
    let scores: Vec<f64> = items.iter().map(|i| i["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[wasm_bindgen_test]
fn purchased_items_excluded_unless_asked() {
    let rec = trained();
    let users = rust(rec.users().unwrap());
    for user in users.as_array().unwrap().iter().take(60) {
        let id = user["userId"].as_str().unwrap();
        let history = rust(rec.user_history(JsValue::from_str(id)).unwrap());
        let bought: Vec<&str> = history
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| h["type"] == "purchase")
            .map(|h| h["productId"].as_str().unwrap())
            .collect();
        let list = rust(rec.recommend(js(json!({"userId": id, "k": 50}))).unwrap());
        for product in ids(&list) {
            assert!(!bought.contains(&product.as_str()), "{id} bought {product}");
        }
    }
}

#[wasm_bindgen_test]
fn contexts_change_the_list_and_exclude_the_page() {
    let rec = trained();
    let home = rust(
        rec.recommend(js(json!({"userId": "u00005", "k": 10})))
            .unwrap(),
    );
    let page = rust(
        rec.recommend(js(
            json!({"userId": "u00005", "k": 10, "context": "product_page", "productId": "p00010"}),
        ))
        .unwrap(),
    );
    let cart = rust(rec.recommend(js(json!({"userId": "u00005", "k": 10, "context": "cart", "cartProductIds": ["p00010", "p00011"]}))).unwrap());
    assert_ne!(ids(&home), ids(&page));
    assert!(!ids(&page).contains(&"p00010".to_string()));
    assert!(!ids(&cart).contains(&"p00010".to_string()));
    assert!(!ids(&cart).contains(&"p00011".to_string()));
    assert!(page
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["reason"].as_str().unwrap().starts_with("Similar to ")));
}

#[wasm_bindgen_test]
fn unknown_user_is_a_new_visitor() {
    let rec = trained();
    let list = rust(
        rec.recommend(js(json!({"userId": "someone-new", "k": 5})))
            .unwrap(),
    );
    assert_eq!(list.as_array().unwrap().len(), 5);
    for item in list.as_array().unwrap() {
        assert!(
            item["reason"].as_str().unwrap().starts_with("Trending in "),
            "{item}"
        );
        assert_eq!(item["components"]["collaborative"], 0.0);
    }
    assert_eq!(
        rust(rec.user_history(JsValue::from_str("someone-new")).unwrap()),
        json!([])
    );
}

#[wasm_bindgen_test]
fn bad_requests_give_clear_errors_and_the_instance_survives() {
    let rec = trained();
    let cases = [
        (
            json!({"k": 0}),
            "invalid k: 0, expected an integer from 1 to 1000",
        ),
        (
            json!({"k": 5000}),
            "invalid k: 5000, expected an integer from 1 to 1000",
        ),
        (
            json!({"context": "checkout"}),
            "unknown variant `checkout`, expected one of `homepage`, `product_page`, `cart`",
        ),
        (
            json!({"context": "product_page"}),
            "invalid productId: missing, expected a product id for context \"product_page\"",
        ),
        (
            json!({"context": "product_page", "productId": "nope"}),
            "unknown product id \"nope\": it is not in the catalog",
        ),
        (
            json!({"context": "cart", "cartProductIds": []}),
            "invalid cartProductIds: [], expected at least one product id for context \"cart\"",
        ),
        (
            json!({"weights": {"collaborative": 0, "content": 0, "popularity": 0}}),
            "invalid weights: all zero, expected at least one positive weight",
        ),
        (
            json!({"weights": {"collaborative": -1}}),
            "invalid weights.collaborative: -1, expected a finite number of at least 0",
        ),
        (
            json!({"weights": {"colaborative": 1}}),
            "invalid weights for recommend(): unknown field \"colaborative\"",
        ),
        (
            json!({"userid": "u00001"}),
            "invalid options for recommend(): unknown field \"userid\"",
        ),
        (
            json!({"k": 2.5}),
            "invalid options for recommend(): invalid type: floating point `2.5`",
        ),
        (
            json!({"k": -3}),
            "invalid options for recommend(): invalid type: floating point `-3.0`",
        ),
    ];
    for (request, expected) in cases {
        let text = message(rec.recommend(js(request.clone())));
        assert!(text.contains(expected), "{request}: {text}");
    }
    // NaN cannot be written in JSON, so it is passed as a JS number.
    let weights = js_sys::Object::new();
    js_sys::Reflect::set(
        &weights,
        &"collaborative".into(),
        &JsValue::from_f64(f64::NAN),
    )
    .unwrap();
    let request = js_sys::Object::new();
    js_sys::Reflect::set(&request, &"weights".into(), &weights).unwrap();
    assert_eq!(
        message(rec.recommend(request.into())),
        "invalid weights.collaborative: NaN, expected a finite number of at least 0"
    );
    assert_eq!(
        message(rec.recommend(JsValue::from_str("u1"))),
        "invalid options for recommend(): \"u1\", expected an object"
    );
    assert_eq!(
        message(rec.similar_items(JsValue::from_f64(3.0), JsValue::UNDEFINED)),
        "invalid productId: 3, expected a string"
    );
    assert_eq!(
        message(rec.similar_items("p00001".into(), JsValue::from_f64(-1.0))),
        "invalid k: -1, expected a whole number"
    );

    // Still answers after every error.
    assert_eq!(
        rust(rec.recommend(js(json!({"k": 3}))).unwrap())
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[wasm_bindgen_test]
fn untrained_and_invalid_training_errors() {
    let mut rec =
        WasmRecommender::synthetic(js(json!({"users": 50, "products": 30, "days": 10}))).unwrap();
    assert_eq!(
        message(rec.recommend(JsValue::UNDEFINED)),
        "the models are not trained yet: call train() first"
    );
    assert_eq!(
        message(rec.train(js(json!({"factors": 0})), None)),
        "invalid factors: 0, expected an integer from 1 to 1024"
    );
    assert_eq!(
        message(rec.train(js(json!({"alpha": -1})), None)),
        "invalid alpha: -1, expected a finite number of at least 0"
    );
    assert!(message(rec.train(js(json!({"factor": 8})), None)).contains("unknown field \"factor\""));
    assert_eq!(
        message(WasmRecommender::synthetic(js(json!({"users": 0})))),
        "invalid users: 0, expected an integer from 1 to 1000000"
    );
    rec.train(js(json!({"factors": 4, "iterations": 2})), None)
        .unwrap();
    assert_eq!(
        rust(rec.recommend(js(json!({"k": 2}))).unwrap())
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[wasm_bindgen_test]
fn similar_items_share_category() {
    let rec = trained();
    let products = rust(rec.products().unwrap());
    let first = &products[0];
    let similar = rust(
        rec.similar_items(
            first["productId"].as_str().unwrap().into(),
            JsValue::from_f64(5.0),
        )
        .unwrap(),
    );
    let list = similar.as_array().unwrap();
    assert_eq!(list.len(), 5);
    let category_of = |id: &str| {
        products
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["productId"] == id)
            .unwrap()["category"]
            .clone()
    };
    assert_eq!(
        category_of(list[0]["productId"].as_str().unwrap()),
        first["category"]
    );
    assert!(list[0]["reason"]
        .as_str()
        .unwrap()
        .starts_with("Similar to "));
}

#[wasm_bindgen_test]
fn history_timestamps_are_milliseconds() {
    let rec = trained();
    let users = rust(rec.users().unwrap());
    let user = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["interactions"].as_u64().unwrap() > 0)
        .unwrap();
    let history = rust(
        rec.user_history(user["userId"].clone().as_str().unwrap().into())
            .unwrap(),
    );
    let entries = history.as_array().unwrap();
    assert_eq!(entries.len() as u64, user["interactions"].as_u64().unwrap());
    // The synthetic period starts on 2026-06-01T00:00:00Z = 1780272000000 ms.
    let first = entries[0]["timestamp"].as_f64().unwrap();
    assert!(
        (1_780_272_000_000.0..1_780_272_000_000.0 + 31.0 * 86_400_000.0).contains(&first),
        "{first}"
    );
    let times: Vec<f64> = entries
        .iter()
        .map(|e| e["timestamp"].as_f64().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
}

#[wasm_bindgen_test]
fn evaluate_reports_every_strategy() {
    let rec = trained();
    let report = rust(
        rec.evaluate(js(json!({"k": 5, "testDays": 7})), None)
            .unwrap(),
    );
    for strategy in ["popularity", "collaborative", "content", "hybrid"] {
        let m = &report[strategy];
        for metric in ["precision", "recall", "ndcg", "coverage", "diversity"] {
            let value = m[metric].as_f64().unwrap();
            assert!(
                (0.0..=1.0).contains(&value),
                "{strategy}.{metric} = {value}"
            );
        }
        assert!(m["users"].as_u64().unwrap() > 0);
        assert_eq!(
            m["users"], report["hybrid"]["users"],
            "same users for every strategy"
        );
    }
    assert!(message(rec.evaluate(js(json!({"testDays": 1000})), None))
        .starts_with("nothing to evaluate"));
}

#[wasm_bindgen_test]
fn same_seed_same_recommendations() {
    let a = trained();
    let b = trained();
    let request = json!({"userId": "u00007", "k": 10});
    assert_eq!(
        rust(a.recommend(js(request.clone())).unwrap()),
        rust(b.recommend(js(request)).unwrap())
    );
}

#[wasm_bindgen_test]
fn exports_csv_and_json() {
    let rec = trained();
    let csv = rust(rec.export_csv().unwrap());
    assert!(csv["products"]
        .as_str()
        .unwrap()
        .starts_with("product_id,name,category,brand,price,description\r\n"));
    assert!(csv["interactions"]
        .as_str()
        .unwrap()
        .starts_with("user_id,product_id,event_type,value,timestamp\r\n"));
    let json: Value = serde_json::from_str(&rec.export_json()).unwrap();
    assert_eq!(json["products"].as_array().unwrap().len(), 200);
    assert_eq!(json["users"].as_array().unwrap().len(), 300);
}

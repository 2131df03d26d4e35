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
    let mut rec = trained();
    let users = rust(rec.users().unwrap());
    let active = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["interactions"].as_u64().unwrap() >= 10)
        .unwrap();
    let list = rust(
        rec.recommend(js(
            json!({"userId": active["userId"], "k": 7, "mmrLambda": 1}),
        ))
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
    // Without MMR the list is in score order; MMR (the default) may reorder it.
    let scores: Vec<f64> = items.iter().map(|i| i["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[wasm_bindgen_test]
fn purchased_items_excluded_unless_asked() {
    let mut rec = trained();
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
    let mut rec = trained();
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
    let mut rec = trained();
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
    let mut rec = trained();
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
            "invalid options for recommend(): k: 2.5, expected a whole number from 0 to 4294967295",
        ),
        (
            json!({"k": -3}),
            "invalid options for recommend(): k: -3, expected a whole number from 0 to 4294967295",
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

    // The instance still serves requests after every error.
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
        rec.evaluate(
            js(json!({"k": 5, "ks": [3, 5], "testDays": 7, "bootstrap": 200})),
            None,
        )
        .unwrap(),
    );
    for strategy in [
        "popularity",
        "collaborative",
        "content",
        "hybrid",
        "hybrid_mmr",
    ] {
        let m = &report[strategy];
        for metric in [
            "precision",
            "recall",
            "ndcg",
            "map",
            "mrr",
            "hitRate",
            "coverage",
            "diversity",
        ] {
            let value = m[metric].as_f64().unwrap();
            assert!(
                (0.0..=1.0).contains(&value),
                "{strategy}.{metric} = {value}"
            );
        }
        assert!(m["novelty"].as_f64().unwrap() > 0.0, "{strategy} novelty");
        assert!(
            m["popularityBias"].as_f64().unwrap() >= 1.0,
            "{strategy} popularity bias"
        );
        assert!(m["users"].as_u64().unwrap() > 0);
        assert_eq!(
            m["users"], report["hybrid"]["users"],
            "same users for every strategy"
        );
        let [low, high] = [
            m["ci"]["ndcg"][0].as_f64().unwrap(),
            m["ci"]["ndcg"][1].as_f64().unwrap(),
        ];
        let ndcg = m["ndcg"].as_f64().unwrap();
        assert!(
            low <= ndcg && ndcg <= high,
            "{strategy}: {ndcg} outside [{low}, {high}]"
        );
        assert_eq!(
            m["atK"]["5"]["ndcg"], m["ndcg"],
            "{strategy}: atK 5 is the headline k"
        );
        assert!(
            m["atK"]["3"]["recall"].as_f64().unwrap() <= m["atK"]["5"]["recall"].as_f64().unwrap()
        );
    }
    let segments = &report["segments"];
    let segment_users: u64 = ["cold", "new", "active"]
        .iter()
        .map(|s| segments[*s]["hybrid"]["users"].as_u64().unwrap())
        .sum();
    assert_eq!(segment_users, report["hybrid"]["users"].as_u64().unwrap());
    assert!(report["skippedUsers"].as_u64().is_some());
    assert!(message(rec.evaluate(js(json!({"testDays": 1000})), None))
        .starts_with("nothing to evaluate"));
    assert!(message(rec.evaluate(js(json!({"ks": [0]})), None)).starts_with("invalid ks: 0"));
}

#[wasm_bindgen_test]
fn tune_scores_the_grid() {
    let rec = trained();
    let grid = json!({"grid": {"factors": [4, 8], "alpha": [2], "iterations": [3], "regularization": [0.05],
        "weights": [{"collaborative": 1}, {"popularity": 1}]}, "testDays": 5, "validationDays": 5});
    let report = rust(rec.tune(js(grid), None).unwrap());
    let runs = report["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 4);
    let best = runs
        .iter()
        .map(|r| r["ndcg"].as_f64().unwrap())
        .fold(0.0, f64::max);
    assert_eq!(report["best"]["ndcg"].as_f64().unwrap(), best);
    let text = message(rec.tune(js(json!({"grid": {"factor": [4]}})), None));
    assert!(text.contains("unknown field \"factor\""), "{text}");
}

#[wasm_bindgen_test]
fn ab_test_reports_both_arms() {
    let mut rec = WasmRecommender::synthetic(js(
        json!({"users": 1500, "products": 300, "days": 40, "seed": 6}),
    ))
    .unwrap();
    rec.train(js(json!({"factors": 16, "iterations": 6})), None)
        .unwrap();
    let report = rust(
        rec.simulate_ab_test(js(json!({"control": {"weights": {"popularity": 1}}, "treatment": {}, "split": 0.5, "seed": 1})))
            .unwrap(),
    );
    let control = &report["control"];
    let treatment = &report["treatment"];
    assert!(control["users"].as_u64().unwrap() > 300);
    assert!(treatment["users"].as_u64().unwrap() > 300);
    let difference = report["difference"]["conversion"].as_f64().unwrap();
    let expected =
        treatment["conversion"].as_f64().unwrap() - control["conversion"].as_f64().unwrap();
    assert!((difference - expected).abs() < 1e-12);
    let p = report["pValue"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p));
    assert!(
        message(rec.simulate_ab_test(js(json!({"split": 1.5})))).starts_with("invalid split: 1.5")
    );
}

#[wasm_bindgen_test]
fn same_seed_same_recommendations() {
    let mut a = trained();
    let mut b = trained();
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

#[wasm_bindgen_test]
fn recorded_purchase_removes_the_item_and_changes_the_list() {
    let mut rec = trained();
    let request = json!({"userId": "u00009", "k": 10});
    let before = ids(&rust(rec.recommend(js(request.clone())).unwrap()));
    let bought = before[0].clone();
    rec.record_interaction(js(
        json!({"userId": "u00009", "productId": bought, "type": "purchase"}),
    ))
    .unwrap();
    let after = ids(&rust(rec.recommend(js(request)).unwrap()));
    assert!(
        !after.contains(&bought),
        "{bought} still recommended: {after:?}"
    );
    assert_ne!(before, after);
    let history = rust(rec.user_history("u00009".into()).unwrap());
    let last = history.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["productId"], bought);
    assert_eq!(last["type"], "purchase");
    let stats = rust(rec.stats().unwrap());
    assert_eq!(stats["interactionsSinceTraining"], 1);
}

#[wasm_bindgen_test]
fn new_visitor_gets_factors_from_first_interactions() {
    let mut rec = trained();
    let products = rust(rec.products().unwrap());
    let first = products[0]["productId"].as_str().unwrap().to_string();
    let category = products[0]["category"].clone();
    let before = rust(
        rec.recommend(js(json!({"userId": "visitor-1", "k": 5})))
            .unwrap(),
    );
    assert!(before
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["components"]["collaborative"] == 0.0));
    for kind in ["view", "cart", "purchase"] {
        rec.record_interaction(js(json!({"userId": "visitor-1", "productId": first, "type": kind, "timestamp": 1_790_000_000_000.0})))
            .unwrap();
    }
    let after = rust(
        rec.recommend(js(json!({"userId": "visitor-1", "k": 5, "mmrLambda": 1})))
            .unwrap(),
    );
    let list = after.as_array().unwrap();
    assert!(!ids(&after).contains(&first));
    assert!(
        list.iter()
            .any(|r| r["components"]["collaborative"].as_f64().unwrap() > 0.0),
        "{after}"
    );
    assert!(list.iter().any(|r| r["category"] == category), "{after}");
}

#[wasm_bindgen_test]
fn not_interested_hides_and_forget_user_erases() {
    let mut rec = trained();
    let list = ids(&rust(
        rec.recommend(js(json!({"userId": "u00012", "k": 5})))
            .unwrap(),
    ));
    rec.record_interaction(js(
        json!({"userId": "u00012", "productId": list[0], "type": "not_interested"}),
    ))
    .unwrap();
    let after = ids(&rust(
        rec.recommend(js(json!({"userId": "u00012", "k": 50})))
            .unwrap(),
    ));
    assert!(!after.contains(&list[0]));

    let history_len = rust(rec.user_history("u00012".into()).unwrap())
        .as_array()
        .unwrap()
        .len();
    assert_eq!(
        rec.forget_user("u00012".into()).unwrap() as usize,
        history_len
    );
    assert_eq!(rust(rec.user_history("u00012".into()).unwrap()), json!([]));
    let fresh = rust(
        rec.recommend(js(json!({"userId": "u00012", "k": 5})))
            .unwrap(),
    );
    assert!(fresh
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["components"]["collaborative"] == 0.0));
    assert_eq!(rec.forget_user("nobody".into()).unwrap(), 0);
}

#[wasm_bindgen_test]
fn record_interaction_rejects_bad_input() {
    let mut rec = trained();
    let cases = [
        (
            json!({"userId": "u1", "productId": "nope", "type": "view"}),
            "unknown product id \"nope\"",
        ),
        (
            json!({"userId": "u1", "productId": "p00001", "type": "wishlist"}),
            "unknown variant `wishlist`",
        ),
        (
            json!({"userId": "u1", "productId": "p00001", "type": "rating"}),
            "invalid value: missing, expected a rating from 1 to 5",
        ),
        (
            json!({"userId": "u1", "productId": "p00001", "type": "rating", "value": 9}),
            "invalid value: 9, expected a rating from 1 to 5",
        ),
        (
            json!({"userId": "u1", "productId": "p00001", "type": "view", "value": 3}),
            "invalid value: 3, expected no value for type \"view\"",
        ),
        (
            json!({"userId": "u1", "productId": "p00001"}),
            "missing field `type`",
        ),
        (
            json!({"userId": "u1", "productId": "p00001", "type": "view", "when": 1}),
            "unknown field \"when\"",
        ),
        (
            json!({"userId": "", "productId": "p00001", "type": "view"}),
            "invalid userId: \"\", expected a non-empty string",
        ),
        (
            json!({"userId": "u1", "productId": "p00001", "type": "view", "timestamp": 1e300}),
            "invalid timestamp: 1e300",
        ),
    ];
    for (input, expected) in cases {
        let text = message(rec.record_interaction(js(input.clone())));
        assert!(text.contains(expected), "{input}: {text}");
    }
    assert_eq!(
        rust(rec.stats().unwrap())["interactionsSinceTraining"],
        0,
        "nothing was recorded"
    );
}

#[wasm_bindgen_test]
fn added_product_is_reachable_through_content() {
    let mut rec = trained();
    let products = rust(rec.products().unwrap());
    let model = products[0].clone();
    rec.add_product(js(json!({
        "productId": "new-1",
        "name": format!("{} Twin", model["name"].as_str().unwrap()),
        "category": model["category"],
        "brand": model["brand"],
        "price": model["price"],
        "description": model["description"],
    })))
    .unwrap();
    let similar = rust(
        rec.similar_items(
            model["productId"].as_str().unwrap().into(),
            JsValue::from_f64(3.0),
        )
        .unwrap(),
    );
    assert_eq!(similar[0]["productId"], "new-1");
    let page = rust(
        rec.recommend(js(
            json!({"context": "product_page", "productId": "new-1", "k": 5}),
        ))
        .unwrap(),
    );
    assert_eq!(page.as_array().unwrap().len(), 5);
    assert!(
        message(rec.add_product(js(json!({"productId": "new-1", "name": "again"}))))
            .contains("duplicate product id \"new-1\"")
    );
    assert!(
        message(rec.add_product(js(json!({"productId": "new-2", "name": "x", "price": -1}))))
            .contains("invalid price: -1")
    );
}

#[wasm_bindgen_test]
fn diversity_options_and_validation() {
    let mut rec = trained();
    let plain = rust(
        rec.recommend(js(json!({"userId": "u00003", "k": 8, "mmrLambda": 1})))
            .unwrap(),
    );
    let spread = rust(
        rec.recommend(js(
            json!({"userId": "u00003", "k": 8, "mmrLambda": 1, "minCategories": 4}),
        ))
        .unwrap(),
    );
    let categories = |list: &Value| {
        let mut c: Vec<String> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["category"].as_str().unwrap().to_string())
            .collect();
        c.sort();
        c.dedup();
        c.len()
    };
    assert!(categories(&spread) >= 4, "{spread}");
    assert!(categories(&spread) >= categories(&plain));
    let diverse = rust(
        rec.recommend(js(json!({"userId": "u00003", "k": 8, "mmrLambda": 0.2})))
            .unwrap(),
    );
    let ild = |list: &Value| rec.intra_list_diversity(js(json!(ids(list)))).unwrap();
    assert!(
        ild(&diverse) >= ild(&plain),
        "{} < {}",
        ild(&diverse),
        ild(&plain)
    );
    assert_eq!(
        rec.intra_list_diversity(js(json!(["p00001"]))).unwrap(),
        0.0
    );

    assert_eq!(
        message(rec.recommend(js(json!({"mmrLambda": 1.5})))),
        "invalid mmrLambda: 1.5, expected a number from 0 to 1"
    );
    let text = message(rec.recommend(js(json!({"preferredCategories": ["Nope"]}))));
    assert!(
        text.starts_with(
            "invalid preferredCategories: \"Nope\", expected one of the catalog's categories: "
        ),
        "{text}"
    );
}

#[wasm_bindgen_test]
fn preferred_categories_steer_a_new_visitor() {
    let mut rec = trained();
    let categories = rec.categories();
    let pick = categories[1].clone();
    let list = rust(
        rec.recommend(js(
            json!({"userId": "brand-new", "k": 5, "preferredCategories": [pick]}),
        ))
        .unwrap(),
    );
    assert_eq!(list.as_array().unwrap().len(), 5);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|r| r["category"] == pick.as_str()),
        "{list}"
    );
}

#[wasm_bindgen_test]
fn stats_count_requests_and_cache_hits() {
    let mut rec = trained();
    let request = json!({"userId": "u00004", "k": 5});
    for _ in 0..4 {
        rec.recommend(js(request.clone())).unwrap();
    }
    let stats = rust(rec.stats().unwrap());
    assert_eq!(stats["requests"], 4);
    assert_eq!(stats["cacheHitRate"], 0.75);
    assert_eq!(stats["cacheEntries"], 1);
    let latency = &stats["latencyMs"];
    assert!(latency["p50"].as_f64().unwrap() <= latency["p99"].as_f64().unwrap());
    rec.record_interaction(js(
        json!({"userId": "u00004", "productId": "p00002", "type": "view"}),
    ))
    .unwrap();
    assert_eq!(
        rust(rec.stats().unwrap())["cacheEntries"],
        0,
        "the user's entry was invalidated"
    );
    rec.set_cache_options(js(json!({"capacity": 0}))).unwrap();
    rec.recommend(js(request)).unwrap();
    assert_eq!(rust(rec.stats().unwrap())["cacheEntries"], 0);
}

#[wasm_bindgen_test]
fn precompute_all_covers_every_user() {
    let rec = trained();
    let lists = rust(rec.precompute_all(js(json!({"k": 4}))).unwrap());
    let lists = lists.as_object().unwrap();
    assert_eq!(lists.len(), 300);
    assert!(lists.values().all(|l| l.as_array().unwrap().len() == 4));
    let text = message(rec.precompute_all(js(json!({"context": "cart"}))));
    assert!(text.starts_with("invalid context: \"cart\""), "{text}");
}

#[wasm_bindgen_test]
fn from_csv_loads_trains_and_reports() {
    let products = "\u{feff}product_id,name,category,brand,price,description\r\n\
                    p1,\"Mug, large\",Home,Acme,9.5,\"A big mug\nfor coffee\"\r\n\
                    p2,Cup,Home,Acme,4,small cup\r\n\
                    p3,Kettle,Home,Boil,30,electric kettle\r\n";
    let interactions = "visitorid,itemid,event,timestamp\n\
                        v1,p1,view,1700000000000\n\
                        v1,p1,addtocart,1700000001000\n\
                        v2,p2,transaction,1700000002000\n\
                        v2,p9,view,1700000003000\n\
                        v3,p3,view,1700000004000\n";
    let mut rec = WasmRecommender::from_csv(
        js(json!({"products": products, "interactions": interactions})),
        JsValue::UNDEFINED,
    )
    .unwrap();
    let report = rust(rec.load_report().unwrap());
    assert_eq!(
        report,
        json!({"products": 3, "users": 3, "interactions": 4,
        "skipped": {"unknownProducts": 1, "cancellations": 0, "excludedProducts": 0, "skippedEventTypes": 0}})
    );
    let names: Vec<String> = rust(rec.products().unwrap())
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, vec!["Mug, large", "Cup", "Kettle"]);
    rec.train(js(json!({"factors": 2, "iterations": 3})), None)
        .unwrap();
    let list = rust(rec.recommend(js(json!({"userId": "v1", "k": 2}))).unwrap());
    assert_eq!(list.as_array().unwrap().len(), 2);
    let history = rust(rec.user_history("v1".into()).unwrap());
    assert_eq!(history[1]["type"], "cart");
    assert_eq!(history[1]["timestamp"], 1_700_000_001_000.0);
    let restored = WasmRecommender::load(js_sys::Uint8Array::from(&rec.save()[..]).into()).unwrap();
    assert_eq!(rust(restored.load_report().unwrap()), report);
    let synthetic =
        WasmRecommender::synthetic(js(json!({"users": 20, "products": 10, "days": 5}))).unwrap();
    assert_eq!(synthetic.load_report().unwrap(), JsValue::NULL);
}

#[wasm_bindgen_test]
fn loaders_reject_bad_files_with_line_and_column() {
    let header = "user_id,product_id,event_type,timestamp\n";
    let cases = [
        (
            json!({"interactions": format!("{header}u1,p1,view,not-a-date\n")}),
            json!({}),
            "interactions line 2, column \"timestamp\": unparsable date \"not-a-date\"",
        ),
        (
            json!({"interactions": format!("{header}u1,p1,like,1\n")}),
            json!({}),
            "interactions line 2, column \"event_type\": unknown event type \"like\"",
        ),
        (
            json!({"interactions": header}),
            json!({}),
            "interactions: no interaction rows after the header",
        ),
        (
            json!({"interactions": "a,b\n1,2\n"}),
            json!({}),
            "interactions: missing column for userId",
        ),
        (
            json!({"products": "product_id,price\np1,-4\n", "interactions": format!("{header}u1,p1,view,1\n")}),
            json!({}),
            "products line 2, column \"price\": negative price -4",
        ),
        (
            json!({"products": "product_id\np1\np1\n", "interactions": format!("{header}u1,p1,view,1\n")}),
            json!({}),
            "products line 3, column \"product_id\": duplicate product id \"p1\"",
        ),
        (
            json!({"interactions": format!("{header}u1,p9,view,1\n"), "products": "product_id\np1\n"}),
            json!({"unknownProducts": "error"}),
            "interactions line 2, column \"product_id\": unknown product id \"p9\"",
        ),
        (
            json!({"interactions": format!("{header}u1,\"p1,view,1\n")}),
            json!({}),
            "interactions line 2: unterminated quoted field",
        ),
        (
            json!({"interaction": ""}),
            json!({}),
            "invalid files for Recommender.fromCsv(): unknown field \"interaction\"",
        ),
        (
            json!({"interactions": header}),
            json!({"delimeter": ";"}),
            "invalid options for Recommender.fromCsv(): unknown field \"delimeter\"",
        ),
    ];
    for (files, options, expected) in cases {
        let text = message(WasmRecommender::from_csv(js(files.clone()), js(options)));
        assert!(text.starts_with(expected), "{files}: {text}");
    }
}

#[wasm_bindgen_test]
fn from_data_takes_js_arrays() {
    let data = json!({
        "products": [{"productId": "a", "name": "Alpha", "category": "X"}, {"productId": "b", "name": "Beta", "category": "Y"}],
        "interactions": [
            {"userId": "u", "productId": "a", "type": "purchase", "timestamp": 1_700_000_000_000.0},
            {"userId": "w", "productId": "b", "type": "rating", "value": 5, "timestamp": "2023-11-14T22:13:20Z"}
        ]
    });
    let mut rec = WasmRecommender::from_data(js(data), JsValue::UNDEFINED).unwrap();
    rec.train(js(json!({"factors": 2, "iterations": 2})), None)
        .unwrap();
    let list = ids(&rust(
        rec.recommend(js(json!({"userId": "u", "k": 5}))).unwrap(),
    ));
    assert_eq!(
        list,
        vec!["b".to_string()],
        "the bought product is excluded"
    );
    let bad = json!({"interactions": [{"userId": "u", "productId": "a", "type": "rating", "value": 9, "timestamp": 1}]});
    assert!(
        message(WasmRecommender::from_data(js(bad), JsValue::UNDEFINED))
            .starts_with("interactions line 1, column \"value\": rating 9 outside 1 to 5")
    );
}

#[wasm_bindgen_test]
fn save_and_load_round_trip() {
    let mut rec = trained();
    rec.record_interaction(js(
        json!({"userId": "u00002", "productId": "p00005", "type": "cart"}),
    ))
    .unwrap();
    let bytes = rec.save();
    let mut loaded = WasmRecommender::load(js_sys::Uint8Array::from(&bytes[..]).into()).unwrap();
    for user in ["u00001", "u00002", "stranger"] {
        let request = json!({"userId": user, "k": 8});
        assert_eq!(
            rust(rec.recommend(js(request.clone())).unwrap()),
            rust(loaded.recommend(js(request)).unwrap()),
            "{user}"
        );
    }
    assert_eq!(loaded.save(), bytes);
    assert!(message(WasmRecommender::load(
        js_sys::Uint8Array::from(&bytes[..bytes.len() / 2]).into()
    ))
    .starts_with("saved model: truncated or padded"));
    assert!(message(WasmRecommender::load(
        js_sys::Uint8Array::from(&b"not a model at all, clearly"[..]).into()
    ))
    .starts_with("saved model: not a saved recommender"));
}

#[wasm_bindgen_test]
fn undefined_fields_mean_defaults() {
    let mut rec = trained();
    let request = js_sys::Object::new();
    js_sys::Reflect::set(&request, &"userId".into(), &"u00001".into()).unwrap();
    for key in [
        "mmrLambda",
        "preferredCategories",
        "weights",
        "k",
        "minCategories",
    ] {
        js_sys::Reflect::set(&request, &key.into(), &JsValue::UNDEFINED).unwrap();
    }
    let list = rust(rec.recommend(request.into()).unwrap());
    let plain = rust(rec.recommend(js(json!({"userId": "u00001"}))).unwrap());
    assert_eq!(list, plain);
    assert_eq!(list.as_array().unwrap().len(), 10);
}

#[wasm_bindgen_test]
fn loaded_model_keeps_hidden_tastes_and_time_range() {
    let rec = trained();
    let range = rust(rec.time_range().unwrap());
    let (first, last) = (
        range["first"].as_f64().unwrap(),
        range["last"].as_f64().unwrap(),
    );
    assert!(first >= 1_780_272_000_000.0 && first < last, "{range}");
    let loaded = WasmRecommender::load(js_sys::Uint8Array::from(&rec.save()[..]).into()).unwrap();
    assert_eq!(rust(loaded.time_range().unwrap()), range);
    let options = json!({"control": {"weights": {"popularity": 1}}, "treatment": {}, "users": 200});
    assert_eq!(
        rust(loaded.simulate_ab_test(js(options.clone())).unwrap()),
        rust(rec.simulate_ab_test(js(options)).unwrap())
    );
}

#[wasm_bindgen_test]
fn tune_takes_progress_in_options() {
    let rec = trained();
    let calls = js_sys::Array::new();
    let sink = calls.clone();
    let callback = wasm_bindgen::closure::Closure::<dyn FnMut(JsValue)>::new(move |p: JsValue| {
        sink.push(&p);
    });
    let options = js(
        json!({"grid": {"factors": [4], "alpha": [2], "iterations": [2], "regularization": [0.05],
        "weights": [{"collaborative": 1}]}, "testDays": 5, "validationDays": 5}),
    );
    js_sys::Reflect::set(&options, &"onProgress".into(), callback.as_ref()).unwrap();
    let report = rust(rec.tune(options, None).unwrap());
    assert_eq!(report["runs"].as_array().unwrap().len(), 1);
    let last = rust(calls.get(calls.length() - 1));
    assert_eq!(last["fraction"], 1.0);
    assert_eq!(last["stage"], "evaluation");
}

#[wasm_bindgen_test]
fn tiny_and_empty_catalogs_from_js() {
    // One user and one product: training works, and the only product is filtered once
    // bought, so the list is empty rather than wrong.
    let data = json!({"interactions": [{"userId": "solo", "productId": "only", "type": "purchase", "timestamp": 1_700_000_000_000.0}]});
    let mut rec = WasmRecommender::from_data(js(data), JsValue::UNDEFINED).unwrap();
    rec.train(js(json!({"factors": 1, "iterations": 2})), None)
        .unwrap();
    assert_eq!(
        rust(rec.recommend(js(json!({"userId": "solo"}))).unwrap()),
        json!([])
    );
    let visitor = rust(rec.recommend(js(json!({"userId": "new", "k": 3}))).unwrap());
    assert_eq!(ids(&visitor), vec!["only".to_string()]);
    assert!(
        message(rec.train(js(json!({"factors": 2000})), None)).starts_with("invalid factors: 2000")
    );
    // The failed training left the trained models in place.
    assert_eq!(
        ids(&rust(rec.recommend(js(json!({"userId": "new"}))).unwrap())),
        vec!["only".to_string()]
    );

    let empty = message(WasmRecommender::from_data(
        js(json!({"interactions": []})),
        JsValue::UNDEFINED,
    ));
    assert_eq!(
        empty,
        "interactions: no interaction records: the array is empty"
    );
    let duplicate = json!({"products": [{"productId": "a", "name": "A"}, {"productId": "a", "name": "B"}],
        "interactions": [{"userId": "u", "productId": "a", "type": "view", "timestamp": 1}]});
    assert!(message(WasmRecommender::from_data(
        js(duplicate),
        JsValue::UNDEFINED
    ))
    .contains("duplicate product id \"a\""));
    let infinite = js_sys::JSON::parse(r#"{"k": 1}"#).unwrap();
    js_sys::Reflect::set(
        &infinite,
        &"mmrLambda".into(),
        &JsValue::from_f64(f64::INFINITY),
    )
    .unwrap();
    assert_eq!(
        message(rec.recommend(infinite)),
        "invalid mmrLambda: inf, expected a number from 0 to 1"
    );
}

/// Four kitchen products and two users who each viewed one product at the same time.
fn toy_shop() -> WasmRecommender {
    let product =
        |id: &str, name: &str| json!({"productId": id, "name": name, "category": "Kitchen"});
    let view = |user: &str, product: &str| json!({"userId": user, "productId": product, "type": "view", "timestamp": 1_700_000_000_000.0});
    let data = json!({
        "products": [product("p1", "Kettle"), product("p2", "Toaster"), product("p3", "Teapot"), product("p4", "Whisk")],
        "interactions": [view("u1", "p4"), view("u2", "p1")]
    });
    WasmRecommender::from_data(js(data), JsValue::UNDEFINED).unwrap()
}

/// Two factors: p1 = [1, 0], p2 = [0, 1], p3 = [1, 1] and u1 = [2, 1]. The catalog has
/// no ghost and no x9, and p4 and u2 have no vector.
fn toy_factors() -> Value {
    json!({
        "version": 1, "factors": 2,
        "userIds": ["u1", "ghost"], "userFactors": [[2, 1], [5, 5]],
        "itemIds": ["p1", "p2", "p3", "x9"], "itemFactors": [[1, 0], [0, 1], [1, 1], [9, 9]]
    })
}

fn collaborative_only(user: &str) -> JsValue {
    js(json!({
        "userId": user, "k": 4, "mmrLambda": 1,
        "weights": {"collaborative": 1, "content": 0, "popularity": 0}
    }))
}

#[wasm_bindgen_test]
fn import_factors_serves_imported_scores() {
    let mut rec = toy_shop();
    let options = js(json!({"regularization": 0.5, "alpha": 2}));
    let report = rust(
        rec.import_factors(js(toy_factors()), options, None)
            .unwrap(),
    );
    assert_eq!(report["factors"], 2);
    assert_eq!(report["importedItems"], 3);
    assert_eq!(report["unknownItems"], 1);
    assert_eq!(report["unknownItemIds"], json!(["x9"]));
    assert_eq!(report["productsWithoutFactors"], 1);
    assert_eq!(report["importedUsers"], 1);
    assert_eq!(report["unknownUsers"], 1);
    assert_eq!(report["foldedInUsers"], 1);

    // u1 = [2, 1] scores p3 3, p1 2, p2 1 and p4 (no vector) 0.
    let list = rust(rec.recommend(collaborative_only("u1")).unwrap());
    assert_eq!(ids(&list), ["p3", "p1", "p2", "p4"]);
    // u2 is folded in from its view of p1, which explains p3.
    let list = rust(rec.recommend(collaborative_only("u2")).unwrap());
    let p3 = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["productId"] == "p3")
        .unwrap();
    assert_eq!(p3["reason"], "Because you viewed Kettle");
}

#[wasm_bindgen_test]
fn import_factors_reads_binary_and_text() {
    let bytes = hybrid_recommender::ImportedFactors::from_json(&toy_factors().to_string())
        .unwrap()
        .to_bytes();
    let mut expected = toy_shop();
    expected
        .import_factors(js(toy_factors()), JsValue::UNDEFINED, None)
        .unwrap();
    let want = rust(expected.recommend(collaborative_only("u2")).unwrap());

    let inputs = [
        JsValue::from(js_sys::Uint8Array::from(&bytes[..])),
        JsValue::from(js_sys::Uint8Array::from(&bytes[..]).buffer()),
        JsValue::from_str(&toy_factors().to_string()),
    ];
    for input in inputs {
        let mut rec = toy_shop();
        rec.import_factors(input, JsValue::UNDEFINED, None).unwrap();
        assert_eq!(rust(rec.recommend(collaborative_only("u2")).unwrap()), want);
    }
}

#[wasm_bindgen_test]
fn import_factors_rejects_bad_input() {
    let mut rec = toy_shop();
    let cases: Vec<(JsValue, &str)> = vec![
        (
            js(json!([1, 2])),
            "invalid data for importFactors(): an array, expected a factor object, its JSON text, or a Uint8Array of the binary format",
        ),
        (
            JsValue::from(js_sys::Uint8Array::from(&b"HRFACT"[..])),
            "invalid imported factors: the binary file is truncated: 6 bytes, expected a header of 24",
        ),
        (
            js(json!({"version": 2, "factors": 2, "userIds": [], "userFactors": [], "itemIds": ["p1"], "itemFactors": [[1, 0]]})),
            "invalid imported factors: version 2 is not supported, expected 1",
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(
            message(rec.import_factors(input, JsValue::UNDEFINED, None)),
            expected
        );
    }

    // NaN reaches the core as null through JSON.stringify, and the message names that cause.
    let with_nan = js(toy_factors());
    let row = js_sys::Array::of2(&JsValue::from(1.0), &JsValue::from(f64::NAN));
    let rows = js_sys::Array::of4(&row, &row, &row, &row);
    js_sys::Reflect::set(&with_nan, &JsValue::from_str("itemFactors"), &rows).unwrap();
    assert_eq!(
        message(rec.import_factors(with_nan, JsValue::UNDEFINED, None)),
        "invalid imported factors: itemFactors row 0 (item \"p1\") value 1 is null (JSON.stringify writes NaN and infinity as null), expected a finite number"
    );
    assert!(
        message(rec.import_factors(js(toy_factors()), js(json!({"rank": 2})), None))
            .starts_with("invalid options for importFactors(): unknown field \"rank\"")
    );

    // Nothing was installed, so the instance is still untrained.
    assert_eq!(
        message(rec.recommend(collaborative_only("u1"))),
        "the models are not trained yet: call train() first"
    );
}

//! Loads the real public datasets in `../shared/data` (next to the repository, as on the
//! developers' machines and in CI; they are not part of the repository), trains on them
//! and evaluates. The printed tables are recorded in `docs/datasets.md`.

use std::collections::HashMap;
use std::path::PathBuf;

use hybrid_recommender::loader::{decode, load_csv, CsvInput, LoadOptions, LoadReport};
use hybrid_recommender::{
    Catalog, EvaluationConfig, Hooks, InteractionKind, Recommender, TrainConfig,
};

fn data_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    assert!(
        dir.is_dir(),
        "the datasets folder {} is missing: these tests need ../shared/data",
        dir.display()
    );
    dir
}

fn read(path: PathBuf) -> String {
    decode(
        &std::fs::read(&path).unwrap_or_else(|e| panic!("failed to read {}: {e}", path.display())),
    )
}

fn train_and_evaluate(catalog: Catalog, test_days: f64) -> hybrid_recommender::EvaluationReport {
    let mut recommender = Recommender::new(catalog);
    let mut config = TrainConfig::default();
    config.als.factors = 32;
    let hooks = &mut Hooks {
        clock: &|| 0.0,
        progress: &mut |_| {},
    };
    recommender.train(config, hooks).unwrap();
    let evaluation = EvaluationConfig {
        test_days,
        bootstrap: 200,
        ..EvaluationConfig::default()
    };
    let report = recommender.evaluate(&evaluation, hooks).unwrap();
    for (name, m) in [
        ("popularity", &report.popularity),
        ("collaborative", &report.collaborative),
        ("content", &report.content),
        ("hybrid", &report.hybrid),
        ("hybrid_mmr", &report.hybrid_mmr),
    ] {
        println!(
            "{name:<14} precision {:.4} recall {:.4} ndcg {:.4} [{:.4}, {:.4}] coverage {:.4} users {}",
            m.precision, m.recall, m.ndcg, m.ci["ndcg"][0], m.ci["ndcg"][1], m.coverage, m.users
        );
    }
    report
}

/// The UCI Online Retail purchase log: product codes that are not products (postage,
/// fees, vouchers) and cancellations are dropped by options, not by editing files.
#[test]
fn uci_online_retail_loads_and_trains() {
    let dir = data_dir().join("uci-online-retail");
    let mut months: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("transactions_")
        })
        .collect();
    months.sort();
    assert_eq!(months.len(), 13);
    // Concatenate the months, keeping the first header only.
    let mut interactions = String::new();
    for (i, month) in months.into_iter().enumerate() {
        let text = read(month);
        let body = if i == 0 {
            text.as_str()
        } else {
            text.split_once('\n').map_or("", |(_, rest)| rest)
        };
        interactions.push_str(body);
    }
    let products = read(dir.join("products.csv"));
    let options = LoadOptions {
        columns: HashMap::from([
            ("userId".into(), "CustomerID".into()),
            ("price".into(), "UnitPriceMedian".into()),
        ]),
        default_type: Some(InteractionKind::Purchase),
        exclude_product_ids: [
            "POST",
            "DOT",
            "M",
            "m",
            "C2",
            "D",
            "S",
            "BANK CHARGES",
            "AMAZONFEE",
            "CRUK",
            "PADS",
            "B",
            "gift_0001_*",
        ]
        .map(String::from)
        .to_vec(),
        ..LoadOptions::default()
    };
    let (catalog, report) = load_csv(
        CsvInput {
            products: Some(&products),
            interactions: &interactions,
            users: None,
        },
        &options,
    )
    .unwrap();
    println!("UCI: {report:?}");
    let LoadReport {
        products,
        users,
        interactions,
        skipped,
    } = report;
    // 16 of the 2,186 sampled customers have only cancellations or non-product rows.
    assert_eq!(users, 2170);
    assert!((4000..=4070).contains(&products), "{products} products");
    assert_eq!(
        skipped.cancellations, 4944,
        "the README counts 4,944 cancellation rows"
    );
    assert_eq!(skipped.unknown_products, 0);
    assert_eq!(
        interactions + skipped.cancellations + skipped.excluded_products,
        217_686
    );
    // 112 codes never have a description in the source; the rest feed TF-IDF.
    let without_description = catalog
        .products()
        .iter()
        .filter(|p| p.description.is_empty())
        .count();
    assert!(
        without_description <= 112,
        "{without_description} products without description"
    );

    let evaluation = train_and_evaluate(catalog, 14.0);
    assert!(
        evaluation.hybrid.users > 200,
        "{} users",
        evaluation.hybrid.users
    );
    assert!(
        evaluation.hybrid.ndcg > evaluation.popularity.ndcg,
        "hybrid {} popularity {}",
        evaluation.hybrid.ndcg,
        evaluation.popularity.ndcg
    );
}

/// The REES46 event log: view/cart/purchase with brands, category paths and prices in
/// the events themselves, and 64-bit category ids that are never parsed as numbers.
#[test]
fn rees46_events_load_with_product_attributes() {
    let text =
        read(data_dir().join("rees46-multicategory-2019oct-slice/events_2019-10-01_0000-0250.csv"));
    let options = LoadOptions {
        columns: HashMap::from([("category".into(), "category_code".into())]),
        ..LoadOptions::default()
    };
    let (catalog, report) = load_csv(
        CsvInput {
            products: None,
            interactions: &text,
            users: None,
        },
        &options,
    )
    .unwrap();
    println!("REES46: {report:?}");
    assert_eq!(report.interactions, 17_424);
    assert_eq!(report.products, 6_489);
    assert_eq!(report.users, 4_501);
    let purchases = catalog
        .interactions()
        .iter()
        .filter(|e| e.kind == InteractionKind::Purchase)
        .count();
    let carts = catalog
        .interactions()
        .iter()
        .filter(|e| e.kind == InteractionKind::Cart)
        .count();
    assert_eq!((purchases, carts), (214, 165));
    let first = &catalog.products()[catalog.product_index("44600062").unwrap() as usize];
    assert_eq!((first.brand.as_str(), first.price), ("shiseido", 35.79));
    // Training works on the slice; it is too short (2h50m) for a meaningful time split.
    let mut recommender = Recommender::new(catalog);
    let mut config = TrainConfig::default();
    config.als.factors = 16;
    recommender
        .train(
            config,
            &mut Hooks {
                clock: &|| 0.0,
                progress: &mut |_| {},
            },
        )
        .unwrap();
    let similar = recommender.similar_items("3900821", 5).unwrap();
    assert_eq!(similar.len(), 5);
}

/// MovieLens 100K: a tab-separated ratings file without a header and a Latin-1,
/// pipe-separated item file.
#[test]
fn movielens_ratings_and_latin1_items() {
    let dir = data_dir().join("movielens-100k");
    let ratings = read(dir.join("u.data"));
    let items = read(dir.join("u.item"));
    let options = LoadOptions {
        has_header: false,
        delimiter: '\t',
        product_delimiter: Some('|'),
        default_type: Some(InteractionKind::Rating),
        columns: HashMap::from([
            ("userId".into(), "1".into()),
            ("productId".into(), "2".into()),
            ("value".into(), "3".into()),
            ("timestamp".into(), "4".into()),
        ]),
        ..LoadOptions::default()
    };
    // The items file numbers its columns differently: id 1, title 2.
    let item_options = LoadOptions {
        product_columns: HashMap::from([
            ("productId".into(), "1".into()),
            ("name".into(), "2".into()),
        ]),
        ..options
    };
    let (items_catalog, _) = load_csv(
        CsvInput {
            products: Some(&items),
            interactions: "1\t1\t5\t881250949\n",
            users: None,
        },
        &item_options,
    )
    .unwrap();
    assert_eq!(items_catalog.products().len(), 1682);
    // Latin-1 decoded: item 1633's title has an accented letter in the original bytes.
    assert!(
        items_catalog.products().iter().any(|p| !p.name.is_ascii()),
        "some titles are non-ASCII"
    );

    let (catalog, report) = load_csv(
        CsvInput {
            products: Some(&items),
            interactions: &ratings,
            users: None,
        },
        &item_options,
    )
    .unwrap();
    println!("MovieLens: {report:?}");
    assert_eq!(report.interactions, 100_000);
    assert_eq!(report.users, 943);
    assert_eq!(report.products, 1682);
    let evaluation = train_and_evaluate(catalog, 30.0);
    assert!(
        evaluation.collaborative.ndcg > evaluation.content.ndcg,
        "ALS {} content {}",
        evaluation.collaborative.ndcg,
        evaluation.content.ndcg
    );
}

//! Loading a real catalog from CSV text or from records.
//!
//! Three inputs: interactions (required), products and users (optional). Columns are
//! found by common header names (`user_id`, `visitorid`, `customer_id`, `product_id`,
//! `item_id`, `stockcode`, `event_type`, `event_time`, `timestamp`, ...) or mapped with
//! [`LoadOptions::columns`], our field name to the file's header, or to a 1-based column
//! number for files without a header. Event names map to interaction types through
//! [`LoadOptions::event_types`] on top of common defaults (`addtocart` is a cart,
//! `transaction` a purchase); mapping a name to `"skip"` drops those rows.
//!
//! Without a products file, products come from the interactions themselves (their
//! first row's name, category, brand and price columns). Every error names the file, the
//! line and the column. Rows that cannot be used by policy (cancellations, excluded
//! product ids, interactions with a product outside the products file, skipped event
//! types) are dropped and counted in the [`LoadReport`].

// Input from files and from JS reaches this module: it must return errors, never panic.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod csv;
mod time;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

pub use csv::{decode, parse as parse_csv, CsvRow};
pub use time::parse_timestamp;

use crate::catalog::{Catalog, Interaction, InteractionKind, Product, User};
use crate::error::{Error, Result};

/// The policy for an interaction whose product is not in the products file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnknownProductPolicy {
    /// Drop the row and count it.
    #[default]
    Skip,
    /// Fail with the row's line.
    Error,
}

/// How to read the files. Every field has a default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct LoadOptions {
    /// Our field name to the file's header (or 1-based column number), for the fields
    /// `userId`, `productId`, `type`, `timestamp`, `value`, `quantity`, `name`,
    /// `category`, `brand`, `price`, `description`, `ageBand`, `region`.
    pub columns: HashMap<String, String>,
    /// Column mappings for the products file only, taking precedence over `columns`.
    pub product_columns: HashMap<String, String>,
    /// Column mappings for the users file only, taking precedence over `columns`.
    pub user_columns: HashMap<String, String>,
    /// The file's event name to our type (`view`, `cart`, `purchase`, `rating`,
    /// `not_interested`) or `skip`.
    pub event_types: HashMap<String, String>,
    /// The type of every row of a log without an event column, such as `purchase` for
    /// an order log or `rating` for a ratings file.
    pub default_type: Option<InteractionKind>,
    /// The interactions file's delimiter.
    pub delimiter: char,
    /// The products file's delimiter; the interactions delimiter when absent.
    pub product_delimiter: Option<char>,
    /// The users file's delimiter; the interactions delimiter when absent.
    pub user_delimiter: Option<char>,
    /// Whether the files start with a header row.
    pub has_header: bool,
    /// Drop rows with a negative quantity (returns and cancellations).
    pub drop_cancellations: bool,
    /// Product ids to leave out, such as postage or fee codes; a trailing `*` matches a
    /// prefix.
    pub exclude_product_ids: Vec<String>,
    /// The policy for interactions whose product is not in the products file.
    pub unknown_products: UnknownProductPolicy,
}

impl LoadOptions {
    /// Rejects column mappings of fields that the file kind does not have, so a
    /// misspelt field fails instead of being ignored, and delimiters that the CSV reader
    /// cannot split on.
    pub fn validate(&self) -> Result<()> {
        // `columns` applies to every file, so it also maps the users file's own fields.
        let columns_fields: Vec<&str> = INTERACTION_FIELDS
            .iter()
            .chain(
                USER_FIELDS
                    .iter()
                    .filter(|field| !INTERACTION_FIELDS.contains(field)),
            )
            .copied()
            .collect();
        check_mapping("columns", &self.columns, &columns_fields)?;
        check_mapping("productColumns", &self.product_columns, PRODUCT_FIELDS)?;
        check_mapping("userColumns", &self.user_columns, USER_FIELDS)?;
        let delimiters = [
            ("delimiter", Some(self.delimiter)),
            ("productDelimiter", self.product_delimiter),
            ("userDelimiter", self.user_delimiter),
        ];
        for (name, delimiter) in delimiters {
            if let Some(d) = delimiter.filter(|d| !d.is_ascii() || matches!(d, '"' | '\n' | '\r')) {
                return Err(Error::invalid(
                    name,
                    format!("{d:?}"),
                    "a single ASCII character other than a double quote or a line break",
                ));
            }
        }
        Ok(())
    }
}

/// Rejects a mapping key outside `fields`.
fn check_mapping(
    name: &'static str,
    mapping: &HashMap<String, String>,
    fields: &[&str],
) -> Result<()> {
    let mut keys: Vec<&String> = mapping.keys().collect();
    keys.sort();
    match keys.into_iter().find(|key| !fields.contains(&key.as_str())) {
        Some(key) => Err(Error::invalid(
            name,
            format!("unknown field {key:?}"),
            format!("one of {}", fields.join(", ")),
        )),
        None => Ok(()),
    }
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            columns: HashMap::new(),
            product_columns: HashMap::new(),
            user_columns: HashMap::new(),
            event_types: HashMap::new(),
            default_type: None,
            delimiter: ',',
            product_delimiter: None,
            user_delimiter: None,
            has_header: true,
            drop_cancellations: true,
            exclude_product_ids: Vec::new(),
            unknown_products: UnknownProductPolicy::Skip,
        }
    }
}

/// Rows dropped by policy, by reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkippedRows {
    /// Interactions with a product outside the products file.
    pub unknown_products: usize,
    /// Rows with a negative quantity.
    pub cancellations: usize,
    /// Interaction rows of excluded product ids.
    pub excluded_products: usize,
    /// Rows whose event type maps to `skip`.
    pub skipped_event_types: usize,
}

impl std::fmt::Display for SkippedRows {
    /// Lists the non-zero counts, e.g. "3 for unknown products, 1 cancellation".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let counts = [
            (
                self.unknown_products,
                "for unknown products",
                "for unknown products",
            ),
            (self.cancellations, "cancellation", "cancellations"),
            (
                self.excluded_products,
                "of excluded products",
                "of excluded products",
            ),
            (
                self.skipped_event_types,
                "of skipped event types",
                "of skipped event types",
            ),
        ];
        let parts: Vec<String> = counts
            .iter()
            .filter(|(count, _, _)| *count > 0)
            .map(|(count, one, many)| format!("{count} {}", if *count == 1 { one } else { many }))
            .collect();
        if parts.is_empty() {
            f.write_str("no rows skipped")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

impl std::fmt::Display for LoadReport {
    /// Writes e.g. "1682 products, 943 users, 100000 interactions (no rows skipped)".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} products, {} users, {} interactions ({})",
            self.products, self.users, self.interactions, self.skipped
        )
    }
}

/// The counts of a finished load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadReport {
    /// Products loaded.
    pub products: usize,
    /// Users loaded.
    pub users: usize,
    /// Interactions loaded.
    pub interactions: usize,
    /// Rows dropped by policy.
    pub skipped: SkippedRows,
}

/// The three inputs as CSV text, with the names used in error messages.
#[derive(Debug, Clone, Copy)]
pub struct CsvInput<'a> {
    /// Products, or `None` to take products from the interactions.
    pub products: Option<&'a str>,
    /// Interactions.
    pub interactions: &'a str,
    /// Users, or `None` to take users from the interactions.
    pub users: Option<&'a str>,
}

/// Header names recognized for each field, lower-case.
const KNOWN_HEADERS: &[(&str, &[&str])] = &[
    (
        "userId",
        &[
            "user_id",
            "userid",
            "visitorid",
            "visitor_id",
            "customer_id",
            "customerid",
            "user",
            "customer",
        ],
    ),
    (
        "productId",
        &[
            "product_id",
            "productid",
            "item_id",
            "itemid",
            "stockcode",
            "stock_code",
            "sku",
            "movie_id",
            "item",
        ],
    ),
    (
        "type",
        &[
            "event_type",
            "eventtype",
            "event",
            "type",
            "action",
            "behavior",
            "behaviour",
        ],
    ),
    (
        "timestamp",
        &[
            "timestamp",
            "event_time",
            "eventtime",
            "time",
            "datetime",
            "date",
            "invoicedate",
            "invoice_date",
            "ts",
        ],
    ),
    ("value", &["rating", "value", "score", "stars"]),
    ("quantity", &["quantity", "qty"]),
    (
        "name",
        &[
            "name",
            "title",
            "product_name",
            "productname",
            "movie_title",
        ],
    ),
    (
        "category",
        &[
            "category",
            "category_code",
            "category_name",
            "categories",
            "genre",
        ],
    ),
    ("brand", &["brand", "brand_name"]),
    (
        "price",
        &[
            "price",
            "unitprice",
            "unit_price",
            "unitpricemedian",
            "price_usd",
        ],
    ),
    (
        "description",
        &["description", "desc", "product_description"],
    ),
    ("ageBand", &["age_band", "ageband", "age_group", "age"]),
    ("region", &["region", "country", "state", "city"]),
];

/// Default event names, lower-case, and the type they mean.
const KNOWN_EVENTS: &[(&str, &str)] = &[
    ("view", "view"),
    ("views", "view"),
    ("pageview", "view"),
    ("page_view", "view"),
    ("detail", "view"),
    ("click", "view"),
    ("cart", "cart"),
    ("addtocart", "cart"),
    ("add_to_cart", "cart"),
    ("purchase", "purchase"),
    ("transaction", "purchase"),
    ("buy", "purchase"),
    ("order", "purchase"),
    ("rating", "rating"),
    ("not_interested", "not_interested"),
];

/// One input file with its resolved columns.
struct Table<'a> {
    file: &'a str,
    header: Vec<String>,
    rows: Vec<CsvRow>,
    columns: HashMap<&'static str, usize>,
    mapped: HashMap<String, String>,
    /// Whether the rows came from records (fields by name) rather than CSV.
    records: bool,
}

impl<'a> Table<'a> {
    fn new(
        file: &'a str,
        text: &str,
        delimiter: char,
        options: &LoadOptions,
        overrides: &HashMap<String, String>,
        fields: &[&'static str],
    ) -> Result<Table<'a>> {
        let mut mapped = options.columns.clone();
        mapped.extend(overrides.iter().map(|(k, v)| (k.clone(), v.clone())));
        let mut rows = parse_csv(file, text, delimiter)?;
        let header = if options.has_header && !rows.is_empty() {
            rows.remove(0)
                .fields
                .into_iter()
                .map(|h| h.trim().to_string())
                .collect()
        } else {
            Vec::new()
        };
        let mut columns = HashMap::new();
        for &field in fields {
            if let Some(index) = resolve_column(file, field, &header, &mapped)? {
                columns.insert(field, index);
            }
        }
        Ok(Table {
            file,
            header,
            rows,
            columns,
            mapped,
            records: false,
        })
    }

    /// Builds a table from records keyed by our field names.
    fn from_records(
        file: &'a str,
        records: &[serde_json::Map<String, serde_json::Value>],
        fields: &[&'static str],
    ) -> Result<Table<'a>> {
        for (i, record) in records.iter().enumerate() {
            if let Some(key) = record.keys().find(|key| !fields.contains(&key.as_str())) {
                return Err(Error::InvalidData {
                    file: file.to_string(),
                    line: i + 1,
                    column: Some(key.clone()),
                    message: format!(
                        "unknown field {key:?}, expected one of {}",
                        fields.join(", ")
                    ),
                });
            }
        }
        let header: Vec<String> = fields.iter().map(|f| f.to_string()).collect();
        let columns = fields
            .iter()
            .enumerate()
            .filter(|(_, field)| records.iter().any(|r| r.contains_key(**field)))
            .map(|(i, field)| (*field, i))
            .collect();
        let rows = records
            .iter()
            .enumerate()
            .map(|(i, record)| CsvRow {
                line: i + 1,
                fields: fields
                    .iter()
                    .map(|field| match record.get(*field) {
                        None | Some(serde_json::Value::Null) => String::new(),
                        Some(serde_json::Value::String(text)) => text.clone(),
                        Some(other) => other.to_string(),
                    })
                    .collect(),
            })
            .collect();
        Ok(Table {
            file,
            header,
            rows,
            columns,
            mapped: HashMap::new(),
            records: true,
        })
    }

    /// Builds the error for a file without data rows or an empty array of records.
    fn empty_error(&self, kind: &str) -> Error {
        let message = if self.records {
            format!("no {kind} records: the array is empty")
        } else if self.header.is_empty() {
            format!("empty file: no {kind} rows")
        } else {
            format!("no {kind} rows after the header")
        };
        Error::InvalidData {
            file: self.file.to_string(),
            line: 0,
            column: None,
            message,
        }
    }

    fn has(&self, field: &str) -> bool {
        self.columns.contains_key(field)
    }

    fn require(&self, field: &'static str) -> Result<()> {
        if self.has(field) {
            return Ok(());
        }
        if self.records {
            return Err(Error::InvalidData {
                file: self.file.to_string(),
                line: 0,
                column: None,
                message: format!("missing field {field}: no record has it"),
            });
        }
        let message = match self.mapped.get(field) {
            Some(mapped) => format!(
                "missing column {mapped:?} for {field} (columns.{field}); the header is {}",
                self.header.join(", ")
            ),
            None => {
                let names = KNOWN_HEADERS
                    .iter()
                    .find(|(f, _)| *f == field)
                    .map_or(&[][..], |(_, n)| *n);
                format!(
                    "missing column for {field}: the header has none of {}; map it with columns.{field}",
                    names.join(", ")
                )
            }
        };
        Err(Error::InvalidData {
            file: self.file.to_string(),
            line: 0,
            column: None,
            message,
        })
    }

    /// Returns the trimmed value of `field` in `row`, or `None` when the column is absent.
    fn get<'r>(&self, row: &'r CsvRow, field: &str) -> Option<&'r str> {
        let index = *self.columns.get(field)?;
        Some(row.fields.get(index).map_or("", |v| v.trim()))
    }

    fn error(&self, row: &CsvRow, field: &str, message: String) -> Error {
        let column = self.columns.get(field).map(|&i| {
            self.header
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("#{}", i + 1))
        });
        Error::InvalidData {
            file: self.file.to_string(),
            line: row.line,
            column,
            message,
        }
    }

    fn required_text<'r>(&self, row: &'r CsvRow, field: &'static str) -> Result<&'r str> {
        match self.get(row, field) {
            Some(value) if !value.is_empty() => Ok(value),
            _ => Err(self.error(row, field, format!("missing {field}"))),
        }
    }

    fn number(&self, row: &CsvRow, field: &'static str) -> Result<Option<f64>> {
        match self.get(row, field) {
            None | Some("") => Ok(None),
            Some(text) => match text.parse::<f64>() {
                Ok(value) if value.is_finite() => Ok(Some(value)),
                _ => Err(self.error(row, field, format!("unparsable number {text:?}"))),
            },
        }
    }
}

/// Finds the column of `field`: the mapped header or number, else a known header name.
fn resolve_column(
    file: &str,
    field: &str,
    header: &[String],
    mappings: &HashMap<String, String>,
) -> Result<Option<usize>> {
    if let Some(mapped) = mappings.get(field) {
        if let Some(index) = header.iter().position(|h| h == mapped) {
            return Ok(Some(index));
        }
        if let Ok(number) = mapped.trim_start_matches('#').parse::<usize>() {
            if number >= 1 {
                return Ok(Some(number - 1));
            }
        }
        if header.is_empty() {
            return Err(Error::InvalidData {
                file: file.to_string(),
                line: 0,
                column: None,
                message: format!(
                    "columns.{field} = {mapped:?} must be a 1-based column number for a file without a header"
                ),
            });
        }
        // A mapping names a column of one file; the other files may lack it.
        return Ok(None);
    }
    let names = KNOWN_HEADERS
        .iter()
        .find(|(f, _)| *f == field)
        .map_or(&[][..], |(_, n)| *n);
    Ok(header
        .iter()
        .position(|h| names.contains(&h.to_lowercase().as_str())))
}

/// The three inputs as arrays of objects keyed by our field names (`productId`,
/// `userId`, `type`, `timestamp`, ...), as `Recommender.fromData` receives them. In
/// errors, the line is the 1-based position in the array.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordInput {
    /// Products, or `None` to take products from the interactions.
    #[serde(default)]
    pub products: Option<Vec<serde_json::Map<String, serde_json::Value>>>,
    /// Interactions; the only required field.
    pub interactions: Vec<serde_json::Map<String, serde_json::Value>>,
    /// Users, or `None` to take users from the interactions.
    #[serde(default)]
    pub users: Option<Vec<serde_json::Map<String, serde_json::Value>>>,
}

/// Loads a catalog from records; the column options are not needed (fields are found by
/// name) but the event, exclusion and policy options apply.
pub fn load_records(input: &RecordInput, options: &LoadOptions) -> Result<(Catalog, LoadReport)> {
    options.validate()?;
    let mut loader = Loader::new(options);
    if let Some(records) = &input.products {
        let table = Table::from_records("products", records, PRODUCT_FIELDS)?;
        loader.products_file = true;
        loader.read_products(&table)?;
    }
    if let Some(records) = &input.users {
        loader.read_users(&Table::from_records("users", records, USER_FIELDS)?)?;
    }
    loader.read_interactions(&Table::from_records(
        "interactions",
        &input.interactions,
        INTERACTION_FIELDS,
    )?)?;
    loader.finish()
}

const PRODUCT_FIELDS: &[&str] = &[
    "productId",
    "name",
    "category",
    "brand",
    "price",
    "description",
];
const USER_FIELDS: &[&str] = &["userId", "ageBand", "region"];
const INTERACTION_FIELDS: &[&str] = &[
    "userId",
    "productId",
    "type",
    "timestamp",
    "value",
    "quantity",
    "name",
    "category",
    "brand",
    "price",
    "description",
];

/// Loads a catalog from CSV text.
pub fn load_csv(input: CsvInput, options: &LoadOptions) -> Result<(Catalog, LoadReport)> {
    options.validate()?;
    let mut loader = Loader::new(options);
    if let Some(text) = input.products {
        let delimiter = options.product_delimiter.unwrap_or(options.delimiter);
        let table = Table::new(
            "products",
            text,
            delimiter,
            options,
            &options.product_columns,
            PRODUCT_FIELDS,
        )?;
        loader.products_file = true;
        loader.read_products(&table)?;
    }
    if let Some(text) = input.users {
        let delimiter = options.user_delimiter.unwrap_or(options.delimiter);
        let table = Table::new(
            "users",
            text,
            delimiter,
            options,
            &options.user_columns,
            USER_FIELDS,
        )?;
        loader.read_users(&table)?;
    }
    let table = Table::new(
        "interactions",
        input.interactions,
        options.delimiter,
        options,
        &HashMap::new(),
        INTERACTION_FIELDS,
    )?;
    loader.read_interactions(&table)?;
    loader.finish()
}

struct Loader<'o> {
    options: &'o LoadOptions,
    products_file: bool,
    products: Vec<Product>,
    product_index: HashMap<String, u32>,
    users: Vec<User>,
    user_index: HashMap<String, u32>,
    events: Vec<Interaction>,
    skipped: SkippedRows,
}

impl<'o> Loader<'o> {
    fn new(options: &'o LoadOptions) -> Self {
        Loader {
            options,
            products_file: false,
            products: Vec::new(),
            product_index: HashMap::new(),
            users: Vec::new(),
            user_index: HashMap::new(),
            events: Vec::new(),
            skipped: SkippedRows::default(),
        }
    }

    fn excluded(&self, product_id: &str) -> bool {
        self.options
            .exclude_product_ids
            .iter()
            .any(|pattern| match pattern.strip_suffix('*') {
                Some(prefix) => product_id.starts_with(prefix),
                None => product_id == pattern,
            })
    }

    /// Builds a product from a row's product columns; the name falls back to the
    /// description, then to the id.
    fn product_from(&self, table: &Table, row: &CsvRow, id: &str) -> Result<Product> {
        let text = |field: &str| table.get(row, field).unwrap_or("").to_string();
        let price = table.number(row, "price")?.unwrap_or(0.0);
        if price < 0.0 {
            return Err(table.error(
                row,
                "price",
                format!("negative price {price}, expected 0 or more"),
            ));
        }
        let description = text("description");
        let mut name = text("name");
        if name.is_empty() {
            name = if description.is_empty() {
                id.to_string()
            } else {
                description.clone()
            };
        }
        Ok(Product {
            id: id.to_string(),
            name,
            category: text("category"),
            brand: text("brand"),
            price,
            description,
        })
    }

    fn read_products(&mut self, table: &Table) -> Result<()> {
        if table.rows.is_empty() {
            return Err(table.empty_error("product"));
        }
        table.require("productId")?;
        for row in &table.rows {
            let id = table.required_text(row, "productId")?;
            // Excluded products leave the catalog; only interaction rows are counted.
            if self.excluded(id) {
                continue;
            }
            if self.product_index.contains_key(id) {
                return Err(table.error(
                    row,
                    "productId",
                    format!("duplicate product id {id:?}: each product id must be unique"),
                ));
            }
            let product = self.product_from(table, row, id)?;
            self.product_index
                .insert(id.to_string(), self.products.len() as u32);
            self.products.push(product);
        }
        Ok(())
    }

    fn read_users(&mut self, table: &Table) -> Result<()> {
        table.require("userId")?;
        for row in &table.rows {
            let id = table.required_text(row, "userId")?;
            if self.user_index.contains_key(id) {
                return Err(table.error(
                    row,
                    "userId",
                    format!("duplicate user id {id:?}: each user id must be unique"),
                ));
            }
            let optional = |field: &str| {
                table
                    .get(row, field)
                    .filter(|v| !v.is_empty())
                    .map(str::to_string)
            };
            self.user_index
                .insert(id.to_string(), self.users.len() as u32);
            self.users.push(User {
                id: id.to_string(),
                age_band: optional("ageBand"),
                region: optional("region"),
            });
        }
        Ok(())
    }

    fn user(&mut self, id: &str) -> u32 {
        if let Some(&index) = self.user_index.get(id) {
            return index;
        }
        let index = self.users.len() as u32;
        self.user_index.insert(id.to_string(), index);
        self.users.push(User {
            id: id.to_string(),
            age_band: None,
            region: None,
        });
        index
    }

    fn event_type(&self, table: &Table, row: &CsvRow) -> Result<Option<InteractionKind>> {
        let Some(name) = table.get(row, "type") else {
            return match self.options.default_type {
                Some(kind) => Ok(Some(kind)),
                None => Err(Error::InvalidData {
                    file: table.file.to_string(),
                    line: 0,
                    column: None,
                    message: "missing column for type: map it with columns.type, or set defaultType for a log of one kind".to_string(),
                }),
            };
        };
        let mapped = self
            .options
            .event_types
            .get(name)
            .map(String::as_str)
            .or_else(|| {
                KNOWN_EVENTS
                    .iter()
                    .find(|(e, _)| e.eq_ignore_ascii_case(name))
                    .map(|(_, t)| *t)
            });
        match mapped {
            Some("skip") => Ok(None),
            Some(kind) => InteractionKind::parse(kind).map(Some).map_err(|_| {
                table.error(row, "type", format!("eventTypes maps {name:?} to {kind:?}, expected view, cart, purchase, rating, not_interested or skip"))
            }),
            None => Err(table.error(
                row,
                "type",
                format!("unknown event type {name:?}: map it with eventTypes, e.g. {{\"{name}\": \"view\"}} or \"skip\""),
            )),
        }
    }

    fn read_interactions(&mut self, table: &Table) -> Result<()> {
        if table.rows.is_empty() {
            return Err(table.empty_error("interaction"));
        }
        table.require("userId")?;
        table.require("productId")?;
        table.require("timestamp")?;
        for row in &table.rows {
            let user_id = table.required_text(row, "userId")?;
            let product_id = table.required_text(row, "productId")?;
            let time_text = table.required_text(row, "timestamp")?;
            let timestamp = parse_timestamp(time_text).ok_or_else(|| {
                table.error(row, "timestamp", format!("unparsable date {time_text:?}, expected ISO-8601 or Unix seconds or milliseconds"))
            })?;
            let Some(kind) = self.event_type(table, row)? else {
                self.skipped.skipped_event_types += 1;
                continue;
            };
            if self.options.drop_cancellations
                && table.number(row, "quantity")?.is_some_and(|q| q < 0.0)
            {
                self.skipped.cancellations += 1;
                continue;
            }
            if self.excluded(product_id) {
                self.skipped.excluded_products += 1;
                continue;
            }
            let value = match kind {
                InteractionKind::Rating => match table.number(row, "value")? {
                    Some(v) if (1.0..=5.0).contains(&v) => Some(v as f32),
                    Some(v) => {
                        return Err(table.error(row, "value", format!("rating {v} outside 1 to 5")))
                    }
                    None => {
                        return Err(table.error(
                            row,
                            "value",
                            "missing rating value, expected 1 to 5".to_string(),
                        ))
                    }
                },
                _ => None,
            };
            let product = match self.product_index.get(product_id) {
                Some(&index) => index,
                None if self.products_file => match self.options.unknown_products {
                    UnknownProductPolicy::Skip => {
                        self.skipped.unknown_products += 1;
                        continue;
                    }
                    UnknownProductPolicy::Error => {
                        return Err(table.error(
                            row,
                            "productId",
                            format!("unknown product id {product_id:?}: not in the products file"),
                        ));
                    }
                },
                None => {
                    let product = self.product_from(table, row, product_id)?;
                    let index = self.products.len() as u32;
                    self.product_index.insert(product_id.to_string(), index);
                    self.products.push(product);
                    index
                }
            };
            let user = self.user(user_id);
            self.events.push(Interaction {
                user,
                product,
                kind,
                value,
                timestamp,
            });
        }
        Ok(())
    }

    fn finish(self) -> Result<(Catalog, LoadReport)> {
        let report = LoadReport {
            products: self.products.len(),
            users: self.users.len(),
            interactions: self.events.len(),
            skipped: self.skipped,
        };
        if self.events.is_empty() {
            return Err(Error::InvalidData {
                file: "interactions".to_string(),
                line: 0,
                column: None,
                message: format!(
                    "no usable interaction: every row was skipped ({})",
                    self.skipped
                ),
            });
        }
        let catalog = Catalog::new(self.products, self.users, self.events)?;
        Ok((catalog, report))
    }
}

#[cfg(test)]
mod tests;

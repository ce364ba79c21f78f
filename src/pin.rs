//! `--pin`: the CPUs a case's server and client processes are kept on, so
//! that the load generator (serve's) or the shipped server (fetch's) does
//! not run on the cores of the runtime it measures.

use rtbench_report::{Params, Pinned};
use rtbench_workloads::Role;

use crate::cpus::CpuList;

/// The two sides of a pinned case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    /// The server's CPUs: the runtime's for serve, the shipped one's for fetch.
    pub server: CpuList,
    /// The client's CPUs: serve's load generator, fetch's runtime.
    pub client: CpuList,
}

impl Pin {
    /// The CPUs of the process a case of `role` measures: the server of a
    /// server workload, the client of one that sends to the shipped server.
    pub fn measured(&self, role: Role) -> &CpuList {
        match role {
            Role::Server => &self.server,
            _ => &self.client,
        }
    }

    /// The CPUs of the other process: the one the measured one talks to.
    pub fn other(&self, role: Role) -> &CpuList {
        match role {
            Role::Server => &self.client,
            _ => &self.server,
        }
    }

    /// As results record it.
    pub fn record(&self) -> Pinned {
        Pinned {
            server: self.server.to_string(),
            client: self.client.to_string(),
        }
    }

    /// The pin a case's parameters record, if any.
    pub fn of(params: &Params) -> Option<Pin> {
        let pinned = params.cpus.as_ref()?;
        Some(Pin {
            server: pinned.server.parse().ok()?,
            client: pinned.client.parse().ok()?,
        })
    }
}

/// Every `--pin` given, each once, in the order given (`none` for
/// unpinned); `[None]` when none is given. Each must be `none` or
/// `server=LIST,client=LIST` with CPUs of `available`, neither side empty,
/// no CPU on both; anything else is one line naming the flag and the fix.
pub fn pins(given: &[String], available: &CpuList) -> Result<Vec<Option<Pin>>, String> {
    let mut out = Vec::new();
    for text in given {
        let pin = parse(text, available)
            .map_err(|why| format!("--pin {text}: {why}; e.g. --pin server=0,client=1"))?;
        if !out.contains(&pin) {
            out.push(pin);
        }
    }
    if out.is_empty() {
        out.push(None);
    }
    Ok(out)
}

/// One `--pin` value (see [`pins`]); the reason it is refused, without the flag.
fn parse(text: &str, available: &CpuList) -> Result<Option<Pin>, String> {
    if text.trim() == "none" {
        return Ok(None);
    }
    // `server=0-1,3,client=2`: an item with `=` starts a side, the others
    // continue its list.
    let mut sides: Vec<(&str, String)> = Vec::new();
    for item in text.split(',') {
        match (item.split_once('='), sides.last_mut()) {
            (Some((side, cpus)), _) => sides.push((side.trim(), cpus.to_owned())),
            (None, Some((_, cpus))) => *cpus = format!("{cpus},{item}"),
            (None, None) => return Err("name each side, server=… and client=…".into()),
        }
    }
    let side = |name: &str| -> Result<CpuList, String> {
        let mut lists = sides.iter().filter(|(side, _)| *side == name);
        let (Some((_, cpus)), None) = (lists.next(), lists.next()) else {
            return Err(format!(
                "give the {name} side once ({name}=LIST) or write none"
            ));
        };
        let list: CpuList = cpus.parse()?;
        if list.is_empty() {
            return Err(format!("the {name} side has no CPUs; give it at least one"));
        }
        let missing = list.iter().find(|cpu| !available.iter().any(|a| a == *cpu));
        match missing {
            Some(cpu) => Err(format!(
                "CPU {cpu} is not one rtbench may run on here ({available}); pick from those"
            )),
            None => Ok(list),
        }
    };
    if let Some((other, _)) = (sides.iter()).find(|(s, _)| *s != "server" && *s != "client") {
        return Err(format!(
            "`{other}` is not a side; the sides are server and client"
        ));
    }
    let (server, client) = (side("server")?, side("client")?);
    if let Some(cpu) = server.iter().find(|cpu| client.iter().any(|c| c == *cpu)) {
        return Err(format!(
            "CPU {cpu} is on both sides; give each side CPUs of its own"
        ));
    }
    Ok(Some(Pin { server, client }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn four() -> CpuList {
        "0-3".parse().unwrap()
    }

    fn pin(text: &str) -> Result<Option<Pin>, String> {
        let mut all = pins(&[text.to_owned()], &four())?;
        Ok(all.remove(0))
    }

    #[test]
    fn each_side_takes_a_cpu_list() {
        let both = pin("server=0-1,3,client=2").unwrap().unwrap();
        assert_eq!(both.server.to_string(), "0-1,3");
        assert_eq!(both.client.to_string(), "2");
        assert_eq!(both.measured(Role::Server), &both.server);
        assert_eq!(both.measured(Role::ClientOfShippedServer), &both.client);
        assert_eq!(pin("none").unwrap(), None);
        assert_eq!(pins(&[], &four()).unwrap(), [None]);
        let twice = [
            "none".to_owned(),
            "server=0,client=1".to_owned(),
            "none".to_owned(),
        ];
        assert_eq!(pins(&twice, &four()).unwrap().len(), 2);
        let recorded = Params {
            cpus: Some(both.record()),
            ..Params::default()
        };
        assert_eq!(Pin::of(&recorded), Some(both));
    }

    #[test]
    fn bad_input_is_one_line_naming_the_flag_and_the_fix() {
        for (text, why) in [
            (
                "server=0,client=7",
                "CPU 7 is not one rtbench may run on here (0-3)",
            ),
            ("server=0", "give the client side once"),
            ("server=,client=1", "the server side has no CPUs"),
            ("server=0-1,client=1", "CPU 1 is on both sides"),
            ("server=0,client=x", "`x` is not a CPU number"),
            ("0,1", "name each side"),
            ("server=0,clients=1", "`clients` is not a side"),
        ] {
            let error = pin(text).unwrap_err();
            assert!(error.starts_with(&format!("--pin {text}: ")), "{error}");
            assert!(error.contains(why), "{error}");
            assert!(error.ends_with("e.g. --pin server=0,client=1"), "{error}");
            assert!(!error.contains('\n'), "{error}");
        }
    }
}

"""The load of operators at work, for locust (run by scripts/bench_load.py, which prepares
the logins and the data and reads the figures).

Each simulated operator takes one prepared login (a session past the second factor) and
works as operators do: ranks people for a request, opens the ranking, reads lists and
files. Pages are named by what they are, not by their ids, so that locust's figures group
them.
"""

import json
import os
import random
import re

from locust import HttpUser, between, task

with open(os.environ["APPRODO_LOAD_PLAN"]) as plan_file:
    PLAN = json.load(plan_file)
_logins = list(PLAN["sessions"])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Operator(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        self.client.cookies.set(PLAN["session_cookie"], _logins.pop())
        self.people = PLAN["people"]
        self.requests = PLAN["requests"]

    @task(3)
    def rank_people_for_a_request(self):
        vacancy = random.choice(self.requests)
        with self.client.get(
            f"/richieste/{vacancy}/", name="request's page", catch_response=True
        ) as page:
            token = CSRF.search(page.text)
            if token is None:
                page.failure("no form to run the ranking")
                return
        self.client.post(
            f"/abbinamento/richieste/{vacancy}/abbina/",
            data={"csrfmiddlewaretoken": token.group(1)},
            headers={"Referer": page.url},
            name="ranking (run and open)",
        )

    @task(3)
    def people_list(self):
        query = random.choice(PLAN["list_queries"])
        self.client.get(f"/lavoro/persone/?{query}", name="people list, filtered")

    @task(2)
    def a_persons_file(self):
        self.client.get(f"/lavoro/persone/{random.choice(self.people)}/", name="a person's file")

    @task(1)
    def requests_that_suit_a_person(self):
        self.client.get(
            f"/abbinamento/persone/{random.choice(self.people)}/richieste/",
            name="requests that suit a person",
        )

    @task(1)
    def dashboard(self):
        self.client.get("/lavoro/", name="dashboard")

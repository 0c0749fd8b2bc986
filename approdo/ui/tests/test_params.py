import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/richieste/nuova/?azienda=abc",
        "/richieste/nuova/?azienda=-1",
    ],
)
def test_a_junk_id_in_the_address_is_a_400_in_italian(coordinator_client, url):
    response = coordinator_client.get(url)
    assert response.status_code == 400
    assert "Richiesta non valida" in response.content.decode()
